// The AST as JSON, with source positions (schema: docs/ast-json.md). Every string is valid
// UTF-8 (invalid bytes of the input are replaced by U+FFFD), so dump() never throws.
#pragma once
#include <nlohmann/json.hpp>

#include "syntax/ast.h"

namespace dfplay::syntax {

nlohmann::json ast_json(const Dockerfile& df);
nlohmann::json node_json(const Node& n);
// A Range as every JSON output of the playground writes it (docs/ast-json.md):
// {"start": {line, column, offset}, "end": {...}}.
nlohmann::json range_json(const Range& r);

}  // namespace dfplay::syntax
