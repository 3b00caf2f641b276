// Internal: libpq's functions, loaded from libpq.so.5 at the first PostgreSQL use instead of linked, so that a
// SQLite installation never maps libpq and its dependency chain (GnuTLS, Kerberos, LDAP, SASL...). The header
// <libpq-fe.h> stays a build dependency for the types and constants.
#pragma once

#include <libpq-fe.h>

#include <string>

#include "core/dynlib/dynamic_library.h"
#include "core/status/status.h"

namespace pocketid::db::internal {

inline constexpr const char* kLibpqSoname = "libpq.so.5";

// Exactly the PQ* functions pid_db uses, typed after their declarations; members carry the functions' names so
// that `libpq.PQexec(...)` reads like the call it replaces.
struct LibpqApi {
  decltype(&::PQclear) PQclear;
  decltype(&::PQcmdStatus) PQcmdStatus;
  decltype(&::PQcmdTuples) PQcmdTuples;
  decltype(&::PQconndefaults) PQconndefaults;
  decltype(&::PQconnectdbParams) PQconnectdbParams;
  decltype(&::PQconninfoFree) PQconninfoFree;
  decltype(&::PQconninfoParse) PQconninfoParse;
  decltype(&::PQconsumeInput) PQconsumeInput;
  decltype(&::PQdescribePrepared) PQdescribePrepared;
  decltype(&::PQerrorMessage) PQerrorMessage;
  decltype(&::PQexec) PQexec;
  decltype(&::PQexecPrepared) PQexecPrepared;
  decltype(&::PQfinish) PQfinish;
  decltype(&::PQfname) PQfname;
  decltype(&::PQfreemem) PQfreemem;
  decltype(&::PQftype) PQftype;
  decltype(&::PQgetisnull) PQgetisnull;
  decltype(&::PQgetlength) PQgetlength;
  decltype(&::PQgetvalue) PQgetvalue;
  decltype(&::PQnfields) PQnfields;
  decltype(&::PQnparams) PQnparams;
  decltype(&::PQntuples) PQntuples;
  decltype(&::PQprepare) PQprepare;
  decltype(&::PQresultErrorField) PQresultErrorField;
  decltype(&::PQresultErrorMessage) PQresultErrorMessage;
  decltype(&::PQresultStatus) PQresultStatus;
  decltype(&::PQsetNoticeProcessor) PQsetNoticeProcessor;
  decltype(&::PQstatus) PQstatus;
  decltype(&::PQtransactionStatus) PQtransactionStatus;
};

using LibpqLibrary = dynlib::LoadedLibrary<LibpqApi>;

// Opens `soname` and resolves the table. LoadLibpq() uses it with kLibpqSoname; tests with a missing library.
StatusOr<LibpqLibrary> OpenLibpq(const std::string& soname);

// The process-wide table, loaded on the first call (thread-safe) and never unloaded. When libpq cannot be loaded,
// every call returns the same error, e.g.
// "failed to load libpq.so.5 (needed for a PostgreSQL DB_CONNECTION_STRING): libpq.so.5: cannot open shared ...".
StatusOr<const LibpqApi*> LoadLibpq();

// The table after LoadLibpq() succeeded, for code that only runs on what libpq made (a PGconn, a PGresult).
const LibpqApi& LoadedLibpq();

}  // namespace pocketid::db::internal
