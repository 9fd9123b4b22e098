// make: a Makefile's rules (targets, prerequisites, recipes) run through the shell interpreter.
#include <algorithm>
#include <cctype>
#include <set>

#include "sim/effects/internal.h"

namespace dfplay::sim::detail {
namespace {

// ---- make ----

struct Rule {
  std::vector<std::string> prereqs;
  std::vector<std::string> recipe;
};
struct Makefile {
  std::vector<std::pair<std::string, std::string>> vars;
  std::vector<std::pair<std::string, Rule>> rules;  // in order
  const Rule* rule(std::string_view t) const {
    for (const auto& [n, r] : rules)
      if (n == t) return &r;
    return nullptr;
  }
};

Makefile parse_makefile(std::string_view text) {
  Makefile m;
  Rule* current = nullptr;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string line(text.substr(pos, eol - pos));
    pos = eol + 1;
    while (!line.empty() && line.back() == '\\' && pos < text.size()) {  // continuation
      line.pop_back();
      size_t e2 = text.find('\n', pos);
      if (e2 == std::string_view::npos) e2 = text.size();
      line += " ";
      line += std::string(text.substr(pos, e2 - pos));
      pos = e2 + 1;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] == '\t') {
      if (current) current->recipe.push_back(line.substr(1));
      continue;
    }
    std::string_view l = line;
    while (!l.empty() && (l.front() == ' ')) l.remove_prefix(1);
    if (l.empty() || l[0] == '#') continue;
    size_t assign = l.find('=');
    size_t colon = l.find(':');
    if (assign != std::string_view::npos && (colon == std::string_view::npos || colon + 1 == assign || assign < colon)) {
      size_t name_end = assign;
      char op = assign > 0 ? l[assign - 1] : ' ';
      if (op == ':' || op == '?' || op == '+' || op == '!') --name_end;
      if (op == ':' && name_end > 0 && l[name_end - 1] == ':') --name_end;
      std::string name(l.substr(0, name_end));
      while (!name.empty() && name.back() == ' ') name.pop_back();
      std::string value(l.substr(assign + 1));
      while (!value.empty() && value.front() == ' ') value.erase(value.begin());
      bool found = false;
      for (auto& [k, v] : m.vars)
        if (k == name) {
          found = true;
          if (op == '?') break;
          v = op == '+' ? v + " " + value : value;
        }
      if (!found) m.vars.emplace_back(name, value);
      current = nullptr;
      continue;
    }
    if (colon != std::string_view::npos) {
      std::string_view targets = l.substr(0, colon);
      std::string_view deps = l.substr(colon + 1);
      if (!deps.empty() && deps[0] == ':') deps.remove_prefix(1);
      std::string_view inline_recipe;
      if (size_t semi = deps.find(';'); semi != std::string_view::npos) {
        inline_recipe = deps.substr(semi + 1);
        deps = deps.substr(0, semi);
      }
      Rule r;
      size_t i = 0;
      while (i < deps.size()) {
        while (i < deps.size() && (deps[i] == ' ' || deps[i] == '\t')) ++i;
        size_t j = i;
        while (j < deps.size() && deps[j] != ' ' && deps[j] != '\t') ++j;
        if (j > i) r.prereqs.emplace_back(deps.substr(i, j - i));
        i = j;
      }
      if (!inline_recipe.empty()) r.recipe.emplace_back(inline_recipe);
      std::string first_target;
      i = 0;
      while (i < targets.size()) {
        while (i < targets.size() && targets[i] == ' ') ++i;
        size_t j = i;
        while (j < targets.size() && targets[j] != ' ') ++j;
        if (j > i) {
          std::string t(targets.substr(i, j - i));
          m.rules.emplace_back(t, r);
          current = &m.rules.back().second;
        }
        i = j;
      }
      continue;
    }
    current = nullptr;
  }
  return m;
}

std::string make_expand(const Makefile& m, const Ctx& c, std::string_view s, std::string_view target,
                        const Rule& rule, int depth = 0) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char n = s[i + 1];
    if (n == '$') {
      out += '$';
      ++i;
    } else if (n == '@') {
      out += target;
      ++i;
    } else if (n == '<') {
      if (!rule.prereqs.empty()) out += rule.prereqs[0];
      ++i;
    } else if (n == '^') {
      for (size_t k = 0; k < rule.prereqs.size(); ++k) out += (k ? " " : "") + rule.prereqs[k];
      ++i;
    } else if (n == '(' || n == '{') {
      char close = n == '(' ? ')' : '}';
      size_t e = s.find(close, i + 2);
      if (e == std::string_view::npos) {
        out += s.substr(i);
        break;
      }
      std::string name(s.substr(i + 2, e - i - 2));
      std::string value;
      bool found = false;
      for (const auto& [k, v] : m.vars)
        if (k == name) {
          value = v;
          found = true;
        }
      if (!found)
        if (const std::string* ev = c.get(name)) value = *ev;
      out += depth < 8 ? make_expand(m, c, value, target, rule, depth + 1) : value;
      i = e;
    } else {
      out += s[i];
    }
  }
  return out;
}

int run_make_target(Ctx& c, const Makefile& m, const std::string& dir, const std::string& target,
                    std::set<std::string>& done, int depth, size_t& lines) {
  if (done.count(target) || depth > 16) return 0;
  done.insert(target);
  const Rule* r = m.rule(target);
  if (!r) {
    if (c.fs.exists(clean_abs(target, dir))) return 0;  // a source file
    c.fail(fmt::format("make: *** No rule to make target '{}'.  Stop.", target));
    return 2;
  }
  for (const auto& p : r->prereqs) {
    int s = run_make_target(c, m, dir, p, done, depth + 1, lines);
    if (s) return s;
  }
  for (const auto& raw : r->recipe) {
    std::string line = make_expand(m, c, raw, target, *r);
    std::string_view l = line;
    bool ignore = false;
    while (!l.empty() && (l[0] == '@' || l[0] == '-' || l[0] == '+' || l[0] == ' ')) {
      if (l[0] == '-') ignore = true;
      l.remove_prefix(1);
    }
    std::string saved = c.cwd;
    c.cwd = dir;  // each recipe line runs in its own shell
    int s = c.run_script(l);
    c.cwd = saved;
    ++lines;
    if (s && !ignore) return s;
  }
  return 0;
}

int m_make(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"-C", "--directory", "-f", "--file", "--makefile", "-j", "--jobs", "-l"}, 1);
  if (a.has("--version") || a.has("-v") || a.has("--help")) {
    c.recognise("make --version", "prints the version");
    return 0;
  }
  std::string dir = a.value("-C", "--directory") ? c.abs(*a.value("-C", "--directory")) : c.cwd;
  std::string file;
  if (auto f = a.value("-f", "--file")) file = clean_abs(*f, dir);
  else
    for (const char* n : {"GNUmakefile", "makefile", "Makefile"})
      if (file.empty() && c.fs.exists(clean_abs(n, dir))) file = clean_abs(n, dir);
  if (file.empty()) {
    c.fail("make: *** No targets specified and no makefile found.  Stop.");
    return 2;
  }
  const FileNode* mf = c.fs.find(file);
  if (!mf) {
    c.fail(fmt::format("make: {}: no such file or directory", file));
    return 2;
  }
  c.key(mf->hash);
  if (!mf->content) {
    c.unknown("make", "Makefile content unknown");
    return 0;
  }
  Makefile m = parse_makefile(*mf->content);
  std::vector<std::string> targets;
  for (auto p : a.positional) {
    if (sh::is_assignment(p)) {
      std::string name(sh::assignment_name(p));
      bool found = false;
      for (auto& [k, v] : m.vars)
        if (k == name) {
          v = std::string(sh::assignment_value(p));
          found = true;
        }
      if (!found) m.vars.emplace_back(name, std::string(sh::assignment_value(p)));
    } else {
      targets.emplace_back(p);
    }
  }
  if (targets.empty()) {
    for (const auto& [n, r] : m.rules)
      if (!n.empty() && n[0] != '.' && n.find('%') == std::string::npos) {
        targets.push_back(n);
        break;
      }
  }
  if (targets.empty()) {
    c.fail("make: *** No targets.  Stop.");
    return 2;
  }
  std::set<std::string> done;
  size_t lines = 0;
  int status = 0;
  for (const auto& t : targets) {
    status = run_make_target(c, m, dir, t, done, 0, lines);
    if (status) break;
  }
  c.recognise("make", fmt::format("builds {} from {}: {} recipe line(s) simulated", fmt::join(targets, " "), file, lines));
  return status;
}

}  // namespace

void register_make(Registry& r) {
  r.add("make", m_make);
  r.add("gmake", m_make);
}

}  // namespace dfplay::sim::detail
