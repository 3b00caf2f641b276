// File access whose error texts match Go's os package ("open <path>: no such file or directory"), because
// Pocket ID's messages embed them (`failed to read file for env var X_FILE: ...`, `TLS_CERT_FILE not found: ...`).
#pragma once

#include <string>

#include "core/status/status.h"

namespace pocketid::config {

// Go's text for an errno value: strerror() with a lower-case first letter ("permission denied").
std::string GoErrnoText(int err);

// os.ReadFile: the whole file, or "open <path>: <errno text>" / "read <path>: <errno text>".
StatusOr<std::string> ReadWholeFile(const std::string& path);

// os.Stat: OK, or "stat <path>: <errno text>".
Status StatFile(const std::string& path);

}  // namespace pocketid::config
