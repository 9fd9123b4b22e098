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
// "file", "dir", "symlink": a node's type as both build writers name it.
std::string_view node_type_name(sim::NodeType t);

// dump(build_json(b)) (compact), written straight as text without the nlohmann tree: the same
// bytes, several times faster on a large build (report/build_json_text.cpp). append_ adds the text
// to the end of `out`.
std::string build_json_text(const sim::BuildResult& b);
void append_build_json(std::string& out, const sim::BuildResult& b);

}  // namespace dfplay::report
