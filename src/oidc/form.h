// The protocol code reads its parameters with the core form decoder (Go's url.ParseQuery semantics).
#pragma once

#include "core/http/form.h"

namespace pocketid::oidc {

using http::Form;
using http::QueryEscape;
using http::RequestForm;

}  // namespace pocketid::oidc
