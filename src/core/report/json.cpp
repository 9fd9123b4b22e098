#include "report/json.h"

#include "syntax/ast_json.h"

namespace dfplay::report {

nlohmann::json to_json(const Range& r) { return syntax::range_json(r); }

nlohmann::json to_json(const Diagnostic& d) {
  return {{"severity", severity_name(d.severity)},
          {"code", d.code},
          {"message", d.message},
          {"line", d.range.begin.line},
          {"column", d.range.begin.column},
          {"range", to_json(d.range)}};
}

nlohmann::json analysis_json(const Analysis& a) {
  nlohmann::json diags = nlohmann::json::array();
  for (const auto& d : a.dockerfile.diagnostics) diags.push_back(to_json(d));
  return {{"file", a.file_name},
          {"instruction_count", a.instruction_count},
          {"stage_count", a.stage_count},
          {"diagnostics", std::move(diags)}};
}

std::string dump(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dfplay::report
