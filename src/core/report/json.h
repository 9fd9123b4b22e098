// JSON rendering of pipeline results. The CLI's --json, the JS API and window.dfplay.state()
// all use these functions, so the three front ends print the same shapes (schemas in docs/).
#pragma once
#include <nlohmann/json.hpp>

#include "pipeline.h"

namespace dfplay::report {

nlohmann::json to_json(const Diagnostic& d);
nlohmann::json to_json(const Range& r);
nlohmann::json analysis_json(const Analysis& a);

}  // namespace dfplay::report
