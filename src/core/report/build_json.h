// JSON of a simulated build (docs/build-json.md) and of a rebuild against a cache session
// (docs/rebuild-json.md). Used by `dfplay build --json`, `dfplay rebuild --json` and the JS API.
#pragma once
#include <nlohmann/json.hpp>

#include "cache/session.h"
#include "sim/build.h"

namespace dfplay::report {

nlohmann::json build_json(const sim::BuildResult& b);
nlohmann::json rebuild_json(const sim::BuildResult& b, const cache::Report& r);
nlohmann::json reason_json(const sim::BuildResult& b, const cache::Reason& r);

}  // namespace dfplay::report
