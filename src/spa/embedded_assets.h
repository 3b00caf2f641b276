// The built web UI (frontend/build), compiled into the binary by embed_assets.cmake.
#pragma once

#include <span>
#include <string_view>

namespace pocketid::spa {

struct EmbeddedAsset {
  std::string_view path;  // "/index.html", "/_app/immutable/entry/app.js.br", ...
  std::string_view data;
};

std::span<const EmbeddedAsset> EmbeddedAssets();

}  // namespace pocketid::spa
