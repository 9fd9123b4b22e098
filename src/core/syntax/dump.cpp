// BuildKit's AST dump (parser.Node.Dump), byte for byte: `(keyword ["flags"...] "arg"...)`.
#include "syntax/parser.h"
#include "syntax/text.h"

namespace dfplay::syntax {
namespace {

void dump_node(const Node& n, std::string& out) {
  size_t start = out.size();
  out += text::to_lower(n.keyword_text);
  if (!n.flags.empty()) {
    out += " [";  // fmt's %q of a []string
    for (size_t i = 0; i < n.flags.size(); ++i) {
      if (i) out.push_back(' ');
      text::append_go_quote(out, n.flags[i].text);
    }
    out.push_back(']');
  }
  if (n.trigger) {
    out += " (";
    dump_node(*n.trigger, out);
    out.push_back(')');
  } else {
    for (const auto& a : n.args) {
      out.push_back(' ');
      text::append_go_quote(out, a.text);
    }
  }
  // Dump() ends with strings.TrimSpace: only a leading space (empty keyword) can occur.
  size_t lead = text::space_prefix(std::string_view(out).substr(start));
  if (lead) out.erase(start, lead);
}

}  // namespace

std::string dump(const Dockerfile& df) {
  std::string out;
  size_t estimate = 0;
  for (const auto& n : df.nodes) estimate += n.original.size() + 16;
  out.reserve(estimate + estimate / 8);
  for (const auto& n : df.nodes) {
    out.push_back('(');
    dump_node(n, out);
    out += ")\n";
  }
  return out;
}

}  // namespace dfplay::syntax
