#include "syntax/ast_json.h"

#include "syntax/text.h"

namespace dfplay::syntax {
namespace {

nlohmann::json str(std::string_view s) {
  if (text::valid_utf8(s)) return std::string(s);
  return text::sanitize_utf8(s);
}

nlohmann::json pos_json(const Position& p) {
  return {{"line", p.line}, {"column", p.column}, {"offset", p.offset}};
}

nlohmann::json words_json(const std::vector<Word>& ws) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& w : ws) a.push_back({{"text", str(w.text)}, {"range", range_json(w.range)}});
  return a;
}

}  // namespace

nlohmann::json range_json(const Range& r) { return {{"start", pos_json(r.begin)}, {"end", pos_json(r.end)}}; }

nlohmann::json node_json(const Node& n) {
  nlohmann::json heredocs = nlohmann::json::array();
  for (const auto& h : n.heredocs)
    heredocs.push_back({{"name", str(h.name)},
                        {"content", str(h.content)},
                        {"expand", h.expand},
                        {"chomp", h.chomp},
                        {"fd", h.fd},
                        {"range", range_json(h.range)},
                        {"opener_range", range_json(h.opener_range)}});
  nlohmann::json comments = nlohmann::json::array();
  for (const auto& c : n.comments) comments.push_back(str(c));
  nlohmann::json j = {{"keyword", keyword_name(n.keyword)},
                      {"keyword_text", str(n.keyword_text)},
                      {"range", range_json(n.range)},
                      {"keyword_range", range_json(n.keyword_range)},
                      {"flags", words_json(n.flags)},
                      {"args", words_json(n.args)},
                      {"args_range", range_json(n.args_range)},
                      {"json", n.json},
                      {"heredocs", std::move(heredocs)},
                      {"original", str(n.original)},
                      {"comments", std::move(comments)},
                      {"has_error", n.has_error}};
  j["trigger"] = n.trigger ? node_json(*n.trigger) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json ast_json(const Dockerfile& df) {
  nlohmann::json directives = nlohmann::json::array();
  for (const auto& d : df.directives)
    directives.push_back({{"name", str(d.name)}, {"value", str(d.value)}, {"range", range_json(d.range)}});
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& n : df.nodes) nodes.push_back(node_json(n));
  nlohmann::json empties = nlohmann::json::array();
  for (const auto& r : df.empty_continuation_lines) empties.push_back(range_json(r));
  nlohmann::json diags = nlohmann::json::array();
  for (const auto& d : df.diagnostics)
    diags.push_back({{"severity", severity_name(d.severity)},
                     {"code", d.code},
                     {"message", str(d.message)},
                     {"range", range_json(d.range)}});
  return {{"escape", std::string(1, df.escape)},
          {"directives", std::move(directives)},
          {"instructions", std::move(nodes)},
          {"empty_continuation_lines", std::move(empties)},
          {"diagnostics", std::move(diags)}};
}

}  // namespace dfplay::syntax
