#include "instructions/instructions.h"
#include "syntax/ascii.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace dfplay::ins {
namespace {


std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A sub-range of a word, when the word's source bytes are exactly its text (no continuation
// inside); otherwise the whole word.
Range sub_range(const Word& w, size_t from, size_t len) {
  Range r = w.range;
  if (r.begin.line == r.end.line && r.end.offset - r.begin.offset == w.text.size() &&
      from + len <= w.text.size()) {
    r.begin.offset += static_cast<uint32_t>(from);
    r.begin.column += static_cast<uint32_t>(from);
    r.end = r.begin;
    r.end.offset += static_cast<uint32_t>(len);
    r.end.column += static_cast<uint32_t>(len);
  }
  return r;
}

// ---- Flags (BuildKit's BFlags) -------------------------------------------------------------

enum class FlagType { Bool, String, Strings };

struct FlagDef {
  std::string_view name;
  FlagType type;
};

struct FlagValue {
  Word value;  // the value with its range ("true"/"false" for booleans)
  Range flag_range;
};

class Flags {
 public:
  Flags(const syntax::Node& node, Diagnostics& diags) : node_(node), diags_(diags) {}

  // Parses the node's flags against `defs`. False (with a diagnostic) on the first error,
  // as BuildKit stops at the first bad flag.
  bool parse(std::initializer_list<FlagDef> defs) {
    for (const Word& w : node_.flags) {
      std::string_view arg = w.text;
      if (arg.substr(0, 2) != "--") return fail(w.range, fmt::format("arg should start with -- : {}", arg));
      if (arg == "--") return true;
      arg.remove_prefix(2);
      std::string_view value;
      size_t eq = arg.find('=');
      bool has_eq = eq != std::string_view::npos;
      if (has_eq) {
        value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      }
      const FlagDef* def = nullptr;
      for (const auto& d : defs)
        if (d.name == arg) def = &d;
      if (!def) return fail(w.range, fmt::format("unknown flag: {}", arg));
      auto& slot = slot_of(def->name);
      if (!slot.empty() && def->type != FlagType::Strings)
        return fail(w.range, fmt::format("duplicate flag specified: {}", arg));
      Word v{std::string(value), has_eq ? sub_range(w, 2 + arg.size() + 1, value.size()) : w.range};
      switch (def->type) {
        case FlagType::Bool: {
          if (has_eq && value.empty()) return fail(w.range, fmt::format("missing a value on flag: {}", arg));
          std::string l = syntax::ascii_lower(value);
          if (l.empty()) l = "true";
          if (l != "true" && l != "false")
            return fail(v.range, fmt::format("expecting boolean value for flag {}, not: {}", arg, value));
          v.text = l;
          break;
        }
        case FlagType::String:
        case FlagType::Strings:
          if (!has_eq) return fail(w.range, fmt::format("missing a value on flag: {}", arg));
          break;
      }
      slot.push_back({std::move(v), w.range});
    }
    return true;
  }

  const FlagValue* get(std::string_view name) const {
    const auto* v = find(name);
    return !v || v->empty() ? nullptr : &v->front();
  }
  std::optional<Word> word(std::string_view name) const {
    if (auto* f = get(name)) return f->value;
    return std::nullopt;
  }
  bool boolean(std::string_view name) const {
    auto* f = get(name);
    return f && f->value.text == "true";
  }
  std::vector<FlagValue> all(std::string_view name) const {
    const auto* v = find(name);
    return v ? *v : std::vector<FlagValue>{};
  }

 private:
  bool fail(Range r, std::string msg) {
    diags_.error(r, "instruction/flag", std::move(msg));
    return false;
  }
  // Values by flag name (the name views the static FlagDef; an instruction has few flags).
  const std::vector<FlagValue>* find(std::string_view name) const {
    for (const auto& [n, v] : values_)
      if (n == name) return &v;
    return nullptr;
  }
  std::vector<FlagValue>& slot_of(std::string_view name) {
    for (auto& [n, v] : values_)
      if (n == name) return v;
    return values_.emplace_back(name, std::vector<FlagValue>{}).second;
  }
  const syntax::Node& node_;
  Diagnostics& diags_;
  std::vector<std::pair<std::string_view, std::vector<FlagValue>>> values_;
};

// ---- helpers ---------------------------------------------------------------------------------

struct Ctx {
  const syntax::Node& node;
  Diagnostics& diags;
  std::string name;  // upper-case instruction name for messages

  bool error(Range r, std::string msg) {
    diags.error(r, "instruction/invalid", std::move(msg));
    return false;
  }
  bool error(std::string msg) { return error(node.keyword_range, std::move(msg)); }
  bool at_least_one() {
    if (!node.args.empty()) return true;
    return error(fmt::format("{} requires at least one argument", name));
  }
  bool exactly_one() {
    if (node.args.size() == 1) return true;
    return error(node.args.size() > 1 ? node.args[1].range : node.keyword_range,
                 fmt::format("{} requires exactly one argument", name));
  }
  bool no_flags(Flags& f) { return f.parse({}); }
};

bool parse_kvps(Ctx& c, std::vector<KeyValue>& out) {
  const auto& a = c.node.args;
  if (a.empty()) return c.error(fmt::format("{} requires at least one argument", c.name));
  if (a.size() % 3 != 0) return c.error(fmt::format("bad input to {}, too many arguments", c.name));
  for (size_t i = 0; i < a.size(); i += 3) {
    if (a[i].text.empty()) return c.error(a[i].range, fmt::format("{} names can not be blank", c.name));
    out.push_back({a[i], a[i + 1], true, a[i + 2].text.empty()});
  }
  return true;
}

// BuildKit's parseMount, without expansion (values stay raw). Errors point at the flag.
bool parse_mount(Ctx& c, const FlagValue& fv, Mount& m) {
  m.spec = fv.value.text;
  m.range = fv.flag_range;
  bool ro_auto = true;
  // Fields are comma separated (CSV): a field may be quoted with double quotes.
  std::vector<std::string> fields;
  {
    std::string cur;
    bool in_quotes = false;
    const std::string& s = fv.value.text;
    for (size_t i = 0; i < s.size(); ++i) {
      char ch = s[i];
      if (in_quotes) {
        if (ch == '"' && i + 1 < s.size() && s[i + 1] == '"') {
          cur.push_back('"');
          ++i;
        } else if (ch == '"') {
          in_quotes = false;
        } else {
          cur.push_back(ch);
        }
      } else if (ch == '"' && cur.empty()) {
        in_quotes = true;
      } else if (ch == ',') {
        fields.push_back(std::move(cur));
        cur.clear();
      } else {
        cur.push_back(ch);
      }
    }
    if (in_quotes) return c.error(fv.value.range, "failed to parse csv mounts: extraneous or missing \" in quoted-field");
    fields.push_back(std::move(cur));
  }
  auto parse_bool = [&](std::string_view key, std::string_view v, bool& out) {
    std::string l = syntax::ascii_lower(v);
    if (l == "1" || l == "t" || l == "true") out = true;
    else if (l == "0" || l == "f" || l == "false") out = false;
    else return c.error(fv.value.range, fmt::format("invalid value for {}: {}", key, v));
    return true;
  };
  for (const std::string& field : fields) {
    size_t eq = field.find('=');
    std::string key = syntax::ascii_lower(std::string_view(field).substr(0, eq));
    std::string value = eq == std::string::npos ? std::string() : field.substr(eq + 1);
    if (eq == std::string::npos) {
      if (key == "readonly" || key == "ro") { m.readonly = true; ro_auto = false; continue; }
      if (key == "readwrite" || key == "rw") { m.readonly = false; ro_auto = false; continue; }
      if (key == "required") {
        if (m.type == MountType::Secret || m.type == MountType::Ssh) { m.required = true; continue; }
        return c.error(fv.value.range, fmt::format("unexpected key '{}' for mount type '{}'", key, mount_type_name(m.type)));
      }
      return c.error(fv.value.range, fmt::format("invalid field '{}' must be a key=value pair", field));
    }
    if (key == "type") {
      std::string t = syntax::ascii_lower(value);
      if (t == "bind") m.type = MountType::Bind;
      else if (t == "cache") m.type = MountType::Cache;
      else if (t == "tmpfs") m.type = MountType::Tmpfs;
      else if (t == "secret") m.type = MountType::Secret;
      else if (t == "ssh") m.type = MountType::Ssh;
      else return c.error(fv.value.range, fmt::format("unsupported mount type \"{}\"", value));
    } else if (key == "from") {
      m.from = value;
    } else if (key == "source" || key == "src") {
      m.source = value;
    } else if (key == "target" || key == "dst" || key == "destination") {
      m.target = value;
    } else if (key == "readonly" || key == "ro") {
      if (!parse_bool(key, value, m.readonly)) return false;
      ro_auto = false;
    } else if (key == "readwrite" || key == "rw") {
      bool rw = false;
      if (!parse_bool(key, value, rw)) return false;
      m.readonly = !rw;
      ro_auto = false;
    } else if (key == "required") {
      if (m.type != MountType::Secret && m.type != MountType::Ssh)
        return c.error(fv.value.range, fmt::format("unexpected key '{}' for mount type '{}'", key, mount_type_name(m.type)));
      if (!parse_bool(key, value, m.required)) return false;
    } else if (key == "size") {
      if (m.type != MountType::Tmpfs)
        return c.error(fv.value.range, fmt::format("unexpected key '{}' for mount type '{}'", key, mount_type_name(m.type)));
      // RAMInBytes: a number with an optional b/k/m/g/t/p suffix (binary multiples).
      std::string l = syntax::ascii_lower(value);
      double num = 0;
      size_t i = 0;
      while (i < l.size() && (std::isdigit(static_cast<unsigned char>(l[i])) || l[i] == '.')) ++i;
      // (strtod, not std::from_chars: emscripten's libc++ 14 has no floating-point from_chars)
      const std::string digits = l.substr(0, i);
      char* end = nullptr;
      num = std::strtod(digits.c_str(), &end);
      std::errc ec = end == digits.c_str() ? std::errc::invalid_argument : std::errc();
      std::string unit = l.substr(i);
      if (!unit.empty() && unit.back() == 'b') unit.pop_back();
      if (!unit.empty() && unit.back() == 'i') unit.pop_back();
      static constexpr std::string_view units = "kmgtp";
      double mult = 1;
      if (unit.size() == 1 && units.find(unit[0]) != std::string_view::npos)
        mult = std::pow(1024.0, static_cast<double>(units.find(unit[0]) + 1));
      else if (!unit.empty())
        ec = std::errc::invalid_argument;
      if (ec != std::errc() || i == 0) return c.error(fv.value.range, fmt::format("invalid value for {}: {}", key, value));
      m.size = static_cast<uint64_t>(num * mult);
    } else if (key == "id") {
      m.id = value;
    } else if (key == "env") {
      m.env = value;
    } else if (key == "sharing") {
      std::string s = syntax::ascii_lower(value);
      if (s == "shared") m.sharing = Sharing::Shared;
      else if (s == "private") m.sharing = Sharing::Private;
      else if (s == "locked") m.sharing = Sharing::Locked;
      else return c.error(fv.value.range, fmt::format("unsupported sharing value \"{}\"", value));
      m.sharing_set = true;
    } else if (key == "mode" || key == "uid" || key == "gid") {
      uint32_t n = 0;
      int base = key == "mode" ? 8 : 10;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n, base);
      if (ec != std::errc() || p != value.data() + value.size() || value.empty())
        return c.error(fv.value.range, fmt::format("invalid value {} for {}", value, key));
      (key == "mode" ? m.mode : key == "uid" ? m.uid : m.gid) = n;
    } else {
      return c.error(fv.value.range, fmt::format("unexpected key '{}' in '{}'", key, field));
    }
  }
  bool file_info_allowed = m.type == MountType::Secret || m.type == MountType::Ssh || m.type == MountType::Cache;
  if (!file_info_allowed) {
    for (auto [name, set] : {std::pair{"mode", m.mode.has_value()}, {"uid", m.uid.has_value()}, {"gid", m.gid.has_value()}})
      if (set) return c.error(fv.value.range, fmt::format("{} not allowed for \"{}\" type mounts", name, mount_type_name(m.type)));
  }
  if (ro_auto) m.readonly = !(m.type == MountType::Cache || m.type == MountType::Tmpfs);
  if (m.type == MountType::Secret) {
    if (!m.from.empty()) return c.error(fv.value.range, "secret mount should not have a from");
    if (m.sharing_set) return c.error(fv.value.range, "secret mount should not define sharing");
    if (m.source.empty() && m.target.empty() && m.id.empty() && m.env.empty())
      return c.error(fv.value.range, "invalid secret mount. one of source, target required");
    if (!m.source.empty() && !m.id.empty()) return c.error(fv.value.range, "both source and id can't be set");
  }
  if (m.sharing_set && m.type != MountType::Cache)
    return c.error(fv.value.range, fmt::format("invalid cache sharing set for {} mount", mount_type_name(m.type)));
  return true;
}

bool parse_command_line(Ctx& c, ShellCommandLine& out) {
  out.args = c.node.args;
  out.json = c.node.json;
  out.files = c.node.heredocs;
  return true;
}

bool parse_sources_and_dest(Ctx& c, Copy& out) {
  const auto& a = c.node.args;
  if (a.size() < 2)
    return c.error(fmt::format("{} requires at least two arguments, but only one was provided. Destination could not be determined", c.name));
  auto heredoc_name = [](std::string_view s) -> std::optional<std::string> {
    // `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`
    if (s.substr(0, 2) != "<<") return std::nullopt;
    s.remove_prefix(2);
    if (!s.empty() && s[0] == '-') s.remove_prefix(1);
    if (s.size() >= 2 && (s[0] == '"' || s[0] == '\'') && s.back() == s[0]) s = s.substr(1, s.size() - 2);
    if (s.empty()) return std::nullopt;
    for (char ch : s)
      if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.')) return std::nullopt;
    return std::string(s);
  };
  const Word& dest = a.back();
  if (heredoc_name(dest.text) && !c.node.heredocs.empty())
    return c.error(dest.range, fmt::format("{} cannot accept a heredoc as a destination", c.name));
  out.dest = dest;
  for (size_t i = 0; i + 1 < a.size(); ++i) {
    auto name = c.node.heredocs.empty() ? std::nullopt : heredoc_name(a[i].text);
    if (name) {
      InlineSource src;
      src.name = *name;
      for (const auto& h : c.node.heredocs)
        if (h.name == *name) {
          src.content = h.content;
          src.expand = h.expand;
          if (h.chomp) {  // BuildKit: leading tabs of every line removed
            std::string chomped;
            bool at_line_start = true;
            for (char ch : src.content) {
              if (at_line_start && ch == '\t') continue;
              at_line_start = ch == '\n';
              chomped.push_back(ch);
            }
            src.content = std::move(chomped);
          }
        }
      out.inline_sources.push_back(std::move(src));
    } else {
      out.sources.push_back(a[i]);
    }
  }
  return true;
}

bool valid_chmod(std::string_view s) {
  if (s.empty()) return false;
  bool octal = std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '7'; });
  if (octal) return s.size() <= 4;
  // Symbolic modes (u+x,g-w,...) are accepted by newer BuildKit; validate the shape.
  for (char ch : s)
    if (!std::strchr("ugoa+-=rwxXstugo,", ch)) return false;
  return true;
}

// FROM image [AS name] [--platform=...]: the stage name checked as BuildKit does.
std::optional<Command> parse_from(Ctx& c, Flags& flags) {
  if (!flags.parse({{"platform", FlagType::String}})) return std::nullopt;
  const auto& a = c.node.args;
  From f;
  if (a.size() == 3 && syntax::ascii_lower(a[1].text) == "as") {
    f.name = a[2];
    f.as_word = a[1];
    f.stage_name = syntax::ascii_lower(a[2].text);
    bool ok = !f.stage_name.empty() && f.stage_name[0] >= 'a' && f.stage_name[0] <= 'z';
    for (char ch : f.stage_name)
      ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.');
    if (!ok) {
      c.error(a[2].range, fmt::format("invalid name for build stage: \"{}\", name can't start with a number or contain symbols", a[2].text));
      return std::nullopt;
    }
  } else if (a.size() != 1) {
    c.error(a.empty() ? c.node.keyword_range : a.back().range, "FROM requires either one or three arguments");
    return std::nullopt;
  }
  f.image = a[0];
  f.platform = flags.word("platform");
  return f;
}

// RUN [--mount=...] [--network=...] [--security=...] command.
std::optional<Command> parse_run(Ctx& c, Flags& flags) {
  if (!flags.parse({{"mount", FlagType::Strings}, {"network", FlagType::String}, {"security", FlagType::String}}))
    return std::nullopt;
  Run r;
  for (const auto& fv : flags.all("mount")) {
    Mount m;
    if (!parse_mount(c, fv, m)) return std::nullopt;
    r.mounts.push_back(std::move(m));
  }
  if (auto* n = flags.get("network")) {
    std::string v = syntax::ascii_lower(n->value.text);
    if (v != "default" && v != "none" && v != "host") {
      c.error(n->value.range, fmt::format("unsupported network mode \"{}\"", n->value.text));
      return std::nullopt;
    }
    r.network = v;
    r.network_range = n->flag_range;
  }
  if (auto* s = flags.get("security")) {
    std::string v = syntax::ascii_lower(s->value.text);
    if (v != "sandbox" && v != "insecure") {
      c.error(s->value.range, fmt::format("unsupported security mode \"{}\"", s->value.text));
      return std::nullopt;
    }
    r.security = v;
    r.security_range = s->flag_range;
  }
  parse_command_line(c, r);
  return r;
}

// COPY and ADD: their flags (each accepts its own set), sources and destination.
std::optional<Command> parse_copy_or_add(Ctx& c, Flags& flags) {
  bool is_copy = c.node.keyword == Keyword::Copy;
  bool ok = is_copy ? flags.parse({{"from", FlagType::String}, {"chown", FlagType::String},
                                   {"chmod", FlagType::String}, {"link", FlagType::Bool},
                                   {"parents", FlagType::Bool}, {"exclude", FlagType::Strings}})
                    : flags.parse({{"chown", FlagType::String}, {"chmod", FlagType::String},
                                   {"link", FlagType::Bool}, {"keep-git-dir", FlagType::Bool},
                                   {"checksum", FlagType::String}, {"exclude", FlagType::Strings}});
  if (!ok) return std::nullopt;
  Copy cp;
  if (!parse_sources_and_dest(c, cp)) return std::nullopt;
  cp.from = flags.word("from");
  cp.chown = flags.word("chown");
  cp.chmod = flags.word("chmod");
  cp.checksum = flags.word("checksum");
  cp.link = flags.boolean("link");
  cp.parents = flags.boolean("parents");
  cp.keep_git_dir = flags.boolean("keep-git-dir");
  for (const auto& fv : flags.all("exclude")) cp.excludes.push_back(fv.value);
  if (cp.chmod && cp.chmod->text.find('$') == std::string::npos && !valid_chmod(cp.chmod->text)) {
    c.error(cp.chmod->range, fmt::format("invalid chmod parameter: {}", cp.chmod->text));
    return std::nullopt;
  }
  if (cp.checksum && !cp.checksum->text.empty() && cp.checksum->text.find(':') == std::string::npos &&
      cp.checksum->text.find('$') == std::string::npos) {
    c.error(cp.checksum->range, fmt::format("invalid checksum digest format: {}", cp.checksum->text));
    return std::nullopt;
  }
  if (is_copy) return cp;
  Add add;
  static_cast<Copy&>(add) = std::move(cp);
  return add;
}

// ARG name[=default] ...
std::optional<Command> parse_arg(Ctx& c, Flags& flags) {
  if (!c.no_flags(flags)) return std::nullopt;
  if (!c.at_least_one()) return std::nullopt;
  Arg a;
  for (const Word& w : c.node.args) {
    KeyValue kv;
    size_t eq = w.text.find('=');
    if (eq == std::string::npos) {
      kv.key = w;
      kv.has_value = false;
      kv.value.range = w.range;
    } else {
      if (eq == 0) {
        c.error(w.range, "ARG names can not be blank");
        return std::nullopt;
      }
      kv.key = {w.text.substr(0, eq), sub_range(w, 0, eq)};
      kv.value = {w.text.substr(eq + 1), sub_range(w, eq + 1, w.text.size() - eq - 1)};
    }
    a.pairs.push_back(std::move(kv));
  }
  return a;
}

// VOLUME path... (JSON or shell form; no empty path).
std::optional<Command> parse_volume(Ctx& c, Flags& flags) {
  if (!c.at_least_one() || !c.no_flags(flags)) return std::nullopt;
  Volume v;
  v.json = c.node.json;
  for (const Word& w : c.node.args) {
    std::string_view t = w.text;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
    if (t.empty()) {
      c.error(w.range, "VOLUME specified can not be an empty string");
      return std::nullopt;
    }
    v.paths.push_back({std::string(t), w.range});
  }
  return v;
}

// SHELL ["executable", "parameters"] (JSON form only).
std::optional<Command> parse_shell(Ctx& c, Flags& flags) {
  if (!c.no_flags(flags)) return std::nullopt;
  if (c.node.args.empty()) {
    c.error("SHELL requires at least one argument");
    return std::nullopt;
  }
  if (!c.node.json) {
    c.error(c.node.args[0].range, fmt::format("SHELL requires the arguments to be in JSON form"));
    return std::nullopt;
  }
  return Shell{c.node.args};
}

// HEALTHCHECK NONE | [--interval=...] CMD command: durations and retries as Go parses them.
std::optional<Command> parse_healthcheck(Ctx& c, Flags& flags) {
  if (!c.at_least_one()) return std::nullopt;
  Healthcheck h;
  std::string typ = upper(c.node.args[0].text);
  if (typ == "NONE") {
    if (c.node.args.size() != 1) {
      c.error(c.node.args[1].range, "HEALTHCHECK NONE takes no arguments");
      return std::nullopt;
    }
    h.none = true;
    h.test = {"NONE"};
    return h;
  }
  if (!flags.parse({{"interval", FlagType::String}, {"timeout", FlagType::String},
                    {"start-period", FlagType::String}, {"start-interval", FlagType::String},
                    {"retries", FlagType::String}}))
    return std::nullopt;
  if (typ != "CMD") {
    c.error(c.node.args[0].range, fmt::format("unknown type \"{}\" in HEALTHCHECK (try CMD)", typ));
    return std::nullopt;
  }
  if (c.node.args.size() < 2) {
    c.error(c.node.args[0].range, "missing command after HEALTHCHECK CMD");
    return std::nullopt;
  }
  h.test.push_back(c.node.json ? "CMD" : "CMD-SHELL");
  for (size_t i = 1; i < c.node.args.size(); ++i) h.test.push_back(c.node.args[i].text);
  struct D {
    const char* name;
    int64_t* out;
  };
  for (D d : {D{"interval", &h.interval_ns}, D{"timeout", &h.timeout_ns},
              D{"start-period", &h.start_period_ns}, D{"start-interval", &h.start_interval_ns}}) {
    auto* f = flags.get(d.name);
    if (!f || f->value.text.empty()) continue;
    auto ns = parse_go_duration(f->value.text);
    if (!ns) {
      c.error(f->value.range, fmt::format("time: invalid duration \"{}\"", f->value.text));
      return std::nullopt;
    }
    if (*ns != 0 && *ns < 1'000'000) {
      c.error(f->value.range, fmt::format("interval \"{}\" cannot be less than 1ms", d.name));
      return std::nullopt;
    }
    *d.out = *ns;
  }
  if (auto* f = flags.get("retries"); f && !f->value.text.empty()) {
    int64_t n = 0;
    const std::string& t = f->value.text;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || p != t.data() + t.size() || n > INT32_MAX || n < INT32_MIN) {
      c.error(f->value.range, fmt::format("strconv.ParseInt: parsing \"{}\": invalid syntax", t));
      return std::nullopt;
    }
    if (n < 0) {
      c.error(f->value.range, fmt::format("--retries cannot be negative ({})", n));
      return std::nullopt;
    }
    h.retries = static_cast<int>(n);
  }
  return h;
}

// ONBUILD instruction (not ONBUILD, FROM or MAINTAINER).
std::optional<Command> parse_onbuild(Ctx& c, Flags& flags) {
  if (!c.node.trigger) {
    c.error("ONBUILD requires at least one argument");
    return std::nullopt;
  }
  if (!c.no_flags(flags)) return std::nullopt;
  Onbuild o;
  o.trigger = c.node.trigger->keyword;
  std::string trig = upper(c.node.trigger->keyword_text);
  if (trig == "ONBUILD") {
    c.error(c.node.trigger->keyword_range, "chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    return std::nullopt;
  }
  if (trig == "MAINTAINER" || trig == "FROM") {
    c.error(c.node.trigger->keyword_range, fmt::format("{} isn't allowed as an ONBUILD trigger", trig));
    return std::nullopt;
  }
  o.expression = c.node.trigger->original;
  for (const auto& h : c.node.heredocs) o.expression += "\n" + h.content + h.name;
  return o;
}

std::optional<Command> parse_typed(Ctx& c) {
  Flags flags(c.node, c.diags);
  using K = Keyword;
  switch (c.node.keyword) {
    case K::From:
      return parse_from(c, flags);
    case K::Run:
      return parse_run(c, flags);
    case K::Cmd: {
      if (!c.no_flags(flags)) return std::nullopt;
      Cmd r;
      parse_command_line(c, r);
      return r;
    }
    case K::Entrypoint: {
      if (!c.no_flags(flags)) return std::nullopt;
      Entrypoint r;
      parse_command_line(c, r);
      return r;
    }
    case K::Copy:
    case K::Add:
      return parse_copy_or_add(c, flags);
    case K::Env: {
      if (!c.no_flags(flags)) return std::nullopt;
      Env e;
      if (!parse_kvps(c, e.pairs)) return std::nullopt;
      return e;
    }
    case K::Label: {
      if (!c.no_flags(flags)) return std::nullopt;
      Label l;
      if (!parse_kvps(c, l.pairs)) return std::nullopt;
      return l;
    }
    case K::Arg:
      return parse_arg(c, flags);
    case K::Expose: {
      if (!c.at_least_one() || !c.no_flags(flags)) return std::nullopt;
      Expose e;
      e.ports = c.node.args;
      return e;
    }
    case K::Volume:
      return parse_volume(c, flags);
    case K::User: {
      if (!c.exactly_one() || !c.no_flags(flags)) return std::nullopt;
      return User{c.node.args[0]};
    }
    case K::Workdir: {
      if (!c.exactly_one() || !c.no_flags(flags)) return std::nullopt;
      return Workdir{c.node.args[0]};
    }
    case K::Stopsignal: {
      if (!c.exactly_one()) return std::nullopt;
      return StopSignal{c.node.args[0]};
    }
    case K::Maintainer: {
      if (!c.exactly_one() || !c.no_flags(flags)) return std::nullopt;
      return Maintainer{c.node.args[0]};
    }
    case K::Shell:
      return parse_shell(c, flags);
    case K::Healthcheck:
      return parse_healthcheck(c, flags);
    case K::Onbuild:
      return parse_onbuild(c, flags);
    case K::Unknown:
      break;
  }
  c.error(fmt::format("unknown instruction: {}", c.node.keyword_text));
  return std::nullopt;
}

}  // namespace

std::string_view mount_type_name(MountType t) {
  switch (t) {
    case MountType::Bind: return "bind";
    case MountType::Cache: return "cache";
    case MountType::Tmpfs: return "tmpfs";
    case MountType::Secret: return "secret";
    case MountType::Ssh: return "ssh";
  }
  return "bind";
}

std::optional<int64_t> parse_go_duration(std::string_view s) {
  // [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+ ; "0" alone is allowed.
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    long double whole = 0, frac = 0, scale = 1;
    bool digits = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      whole = whole * 10 + (s[i] - '0');
      ++i;
      digits = true;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        frac = frac * 10 + (s[i] - '0');
        scale *= 10;
        ++i;
        digits = true;
      }
    }
    if (!digits) return std::nullopt;
    size_t u = i;
    while (u < s.size() && !std::isdigit(static_cast<unsigned char>(s[u])) && s[u] != '.') ++u;
    std::string_view unit = s.substr(i, u - i);
    long double mult;
    if (unit == "ns") mult = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") mult = 1e3;
    else if (unit == "ms") mult = 1e6;
    else if (unit == "s") mult = 1e9;
    else if (unit == "m") mult = 60e9;
    else if (unit == "h") mult = 3600e9;
    else return std::nullopt;
    total += (whole + frac / scale) * mult;
    if (total > 9.2e18L) return std::nullopt;
    s.remove_prefix(u);
  }
  int64_t v = static_cast<int64_t>(total);
  return neg ? -v : v;
}

std::optional<Instruction> parse_instruction(const syntax::Node& node, Diagnostics& diags) {
  Ctx c{node, diags, upper(node.keyword == Keyword::Unknown ? std::string_view(node.keyword_text) : syntax::keyword_name(node.keyword))};
  auto cmd = parse_typed(c);
  if (!cmd) return std::nullopt;
  Instruction ins;
  ins.keyword = node.keyword;
  ins.node = &node;
  ins.command = std::move(*cmd);
  return ins;
}

namespace {

// `--parents` and `--exclude` were labs-only flags for a long time: the frontend built into
// BuildKit 0.13 (Docker 26) rejects them ("unknown flag: parents") unless the file selects a labs
// syntax. We accept them (current syntax) and say so where the file does not opt in.
void warn_labs_flags(const syntax::Dockerfile& df, const syntax::Node& node, Diagnostics& diags) {
  for (const auto& d : df.directives)
    if (d.name == "syntax" && d.value.find("labs") != std::string::npos) return;
  for (const auto& f : node.flags) {
    std::string_view t = f.text;
    for (std::string_view name : {"--parents", "--exclude"})
      if (t == name || (t.starts_with(name) && t.size() > name.size() && t[name.size()] == '='))
        diags.warning(f.range, "instruction/labs-flag",
                      fmt::format("{} needs a newer Dockerfile frontend than the one built into older engines: "
                                  "Docker 26 (BuildKit 0.13) fails with \"unknown flag: {}\" unless the file "
                                  "starts with `# syntax=docker/dockerfile:1.7-labs`",
                                  name, name.substr(2)));
  }
}

}  // namespace

ProgramBuilder::ProgramBuilder(const syntax::Dockerfile& df) : df_(df) {
  // Reserve each stage's instruction list (instructions are large; growing the vectors moved
  // them again and again).
  for (const syntax::Node& node : df.nodes) {
    if (node.keyword == Keyword::From) per_stage_.push_back(0);
    else if (!per_stage_.empty()) ++per_stage_.back();
  }
  p_.stages.reserve(per_stage_.size());
}

bool ProgramBuilder::step(size_t nodes) {
  Program& p = p_;
  const size_t end = next_ + std::min(nodes, df_.nodes.size() - next_);
  for (; next_ < end; ++next_) {
    const syntax::Node& node = df_.nodes[next_];
    // Unknown instructions are already reported by the parser.
    if (node.keyword == Keyword::Unknown) continue;
    auto ins = parse_instruction(node, p.diagnostics);
    if (!ins) continue;
    if (ins->keyword == Keyword::Copy || ins->keyword == Keyword::Add) warn_labs_flags(df_, node, p.diagnostics);
    if (ins->keyword == Keyword::From) {
      Stage st;
      st.index = p.stages.size();
      st.from = std::move(*ins);
      if (st.index < per_stage_.size()) st.commands.reserve(per_stage_[st.index]);
      p.stages.push_back(std::move(st));
    } else if (p.stages.empty()) {
      if (ins->keyword == Keyword::Arg) p.meta_args.push_back(std::move(*ins));
      else p.diagnostics.error(node.keyword_range, "instruction/no-stage", "no build stage in current context");
    } else {
      p.stages.back().commands.push_back(std::move(*ins));
    }
  }
  return next_ == df_.nodes.size();
}

Program build_program(const syntax::Dockerfile& df) {
  ProgramBuilder b(df);
  b.step(df.nodes.size());
  return b.take();
}

}  // namespace dfplay::ins
