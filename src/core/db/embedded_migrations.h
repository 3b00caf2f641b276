// Internal: the migration files embedded by embed_migrations.cmake (generated embedded_migrations.cpp).
#pragma once

#include <cstddef>

namespace pocketid::db::internal {

struct EmbeddedFile {
  const char* path;  // "sqlite/20260814120000_init.up.sql"
  const unsigned char* data;
  size_t size;
};

extern const EmbeddedFile kEmbeddedMigrationFiles[];  // kEmbeddedMigrationFileCount entries, sorted by path
extern const size_t kEmbeddedMigrationFileCount;

}  // namespace pocketid::db::internal
