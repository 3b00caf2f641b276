#include "core/db/libpq_api.h"

#include <cstdlib>

namespace pocketid::db::internal {

StatusOr<LibpqLibrary> OpenLibpq(const std::string& soname) {
  PID_ASSIGN_OR_RETURN(dynlib::DynamicLibrary library,
                       dynlib::DynamicLibrary::Open(soname, "a PostgreSQL DB_CONNECTION_STRING"));
  LibpqApi api{};
#define PID_RESOLVE_PQ(name) PID_RETURN_IF_ERROR(library.Resolve(#name, api.name))
  PID_RESOLVE_PQ(PQclear);
  PID_RESOLVE_PQ(PQcmdStatus);
  PID_RESOLVE_PQ(PQcmdTuples);
  PID_RESOLVE_PQ(PQconndefaults);
  PID_RESOLVE_PQ(PQconnectdbParams);
  PID_RESOLVE_PQ(PQconninfoFree);
  PID_RESOLVE_PQ(PQconninfoParse);
  PID_RESOLVE_PQ(PQconsumeInput);
  PID_RESOLVE_PQ(PQdescribePrepared);
  PID_RESOLVE_PQ(PQerrorMessage);
  PID_RESOLVE_PQ(PQexec);
  PID_RESOLVE_PQ(PQexecPrepared);
  PID_RESOLVE_PQ(PQfinish);
  PID_RESOLVE_PQ(PQfname);
  PID_RESOLVE_PQ(PQfreemem);
  PID_RESOLVE_PQ(PQftype);
  PID_RESOLVE_PQ(PQgetisnull);
  PID_RESOLVE_PQ(PQgetlength);
  PID_RESOLVE_PQ(PQgetvalue);
  PID_RESOLVE_PQ(PQnfields);
  PID_RESOLVE_PQ(PQnparams);
  PID_RESOLVE_PQ(PQntuples);
  PID_RESOLVE_PQ(PQprepare);
  PID_RESOLVE_PQ(PQresultErrorField);
  PID_RESOLVE_PQ(PQresultErrorMessage);
  PID_RESOLVE_PQ(PQresultStatus);
  PID_RESOLVE_PQ(PQsetNoticeProcessor);
  PID_RESOLVE_PQ(PQstatus);
  PID_RESOLVE_PQ(PQtransactionStatus);
#undef PID_RESOLVE_PQ
  return LibpqLibrary{std::move(library), api};
}

StatusOr<const LibpqApi*> LoadLibpq() {
  // Created once (function-local statics initialise thread-safely) and deliberately never destroyed: connections
  // held by other statics or still-running threads may call into libpq while the process exits.
  static const StatusOr<LibpqLibrary>* const loaded = new StatusOr<LibpqLibrary>(OpenLibpq(kLibpqSoname));
  if (!loaded->ok()) return loaded->status();
  return &(*loaded)->api;
}

const LibpqApi& LoadedLibpq() {
  StatusOr<const LibpqApi*> api = LoadLibpq();
  if (!api.ok()) std::abort();  // a caller broke the precondition: nothing libpq made can exist without libpq
  return **api;
}

}  // namespace pocketid::db::internal
