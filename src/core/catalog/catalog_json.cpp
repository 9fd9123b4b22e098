// Catalog JSON: loading (built-in and user files, with positioned diagnostics) and export.
// Never throws: the text is parsed through a SAX handler that records the first syntax error,
// and every value is type-checked before it is read.
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include <fmt/format.h>

#include "catalog/catalog.h"
#include "catalog/detail.h"

namespace dfplay::catalog {

using json = nlohmann::json;

namespace {
std::string escape_pointer_segment(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}
}  // namespace

namespace detail {

// ---- positions --------------------------------------------------------------------------------

LineIndex::LineIndex(std::string_view text) : size_(text.size()) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

Position LineIndex::at(size_t offset) const {
  offset = std::min(offset, size_);
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  size_t line = static_cast<size_t>(it - starts_.begin());  // 1-based
  Position p;
  p.line = static_cast<uint32_t>(line);
  p.column = static_cast<uint32_t>(offset - starts_[line - 1] + 1);
  p.offset = static_cast<uint32_t>(offset);
  return p;
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 2;
    if (ok && len > 1) {
      // Reject overlong forms, surrogates and code points above U+10FFFF.
      uint32_t cp = c & (0x7f >> len);
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
      static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= kMin[len] && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
    }
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xef\xbf\xbd";
      ++i;
    }
  }
  return out;
}

// ---- JSON pointer locator ---------------------------------------------------------------------

namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

}  // namespace

std::unordered_map<std::string, ByteRange> locate_json_values(
    std::string_view t, const std::unordered_set<std::string>& wanted) {
  std::unordered_map<std::string, ByteRange> out;
  if (wanted.empty()) return out;
  // Values deeper than the deepest wanted pointer are skipped without building their pointer,
  // so deeply nested input stays linear.
  size_t max_depth = 0;
  for (const auto& w : wanted)
    max_depth = std::max<size_t>(max_depth, static_cast<size_t>(std::count(w.begin(), w.end(), '/')));
  struct Frame {
    bool object;
    size_t index;
    std::string key;    // only kept while tracked
    size_t prefix_len;  // length of `current` before this container's own segment was added
    size_t begin;
    bool tracked;       // this container's pointer is in `current`
  };
  std::vector<Frame> stack;
  std::string current;  // pointer of the innermost tracked container
  size_t i = 0, n = t.size();
  auto skip_ws = [&] {
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) ++i;
  };
  auto hex4 = [&](size_t at, uint32_t& v) {
    if (at + 4 > n) return false;
    v = 0;
    for (size_t k = 0; k < 4; ++k) {
      char c = t[at + k];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f') v |= uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= uint32_t(c - 'A' + 10);
      else return false;
    }
    return true;
  };
  // t[i] == '"'; leaves i after the closing quote.
  auto scan_string = [&](std::string* decoded) {
    ++i;
    while (i < n && t[i] != '"') {
      if (t[i] == '\\' && i + 1 < n) {
        char e = t[i + 1];
        i += 2;
        if (!decoded) {
          if (e == 'u') i += 4;
          continue;
        }
        switch (e) {
          case 'b': *decoded += '\b'; break;
          case 'f': *decoded += '\f'; break;
          case 'n': *decoded += '\n'; break;
          case 'r': *decoded += '\r'; break;
          case 't': *decoded += '\t'; break;
          case 'u': {
            uint32_t cp = 0;
            if (!hex4(i, cp)) break;
            i += 4;
            if (cp >= 0xd800 && cp <= 0xdbff && i + 6 <= n && t[i] == '\\' && t[i + 1] == 'u') {
              uint32_t lo = 0;
              if (hex4(i + 2, lo) && lo >= 0xdc00 && lo <= 0xdfff) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                i += 6;
              }
            }
            append_utf8(*decoded, cp);
            break;
          }
          default: *decoded += e; break;
        }
      } else {
        if (decoded) *decoded += t[i];
        ++i;
      }
    }
    if (i < n) ++i;
  };
  // Depth of the value about to be read = stack.size(); tracked when <= max_depth and the
  // parent is tracked.
  auto child_tracked = [&] { return stack.empty() || (stack.back().tracked && stack.size() <= max_depth); };
  auto child_segment = [&]() -> std::string {
    const Frame& f = stack.back();
    return "/" + (f.object ? escape_pointer_segment(f.key) : std::to_string(f.index));
  };
  // After '{' or ',' inside an object: reads `"key" :`.
  auto read_key = [&] {
    skip_ws();
    Frame& f = stack.back();
    f.key.clear();
    if (i < n && t[i] == '"') scan_string(f.tracked ? &f.key : nullptr);
    skip_ws();
    if (i < n && t[i] == ':') ++i;
  };
  bool expect_value = true;
  while (true) {
    skip_ws();
    if (i >= n) break;
    char c = t[i];
    if (expect_value) {
      bool tracked = child_tracked();
      size_t prefix = current.size();
      if (tracked && !stack.empty()) current += child_segment();
      size_t begin = i;
      if (c == '{' || c == '[') {
        stack.push_back({c == '{', 0, "", prefix, begin, tracked});
        ++i;
        skip_ws();
        if (i < n && (t[i] == '}' || t[i] == ']')) {
          expect_value = false;  // the closing bracket is handled below
          continue;
        }
        if (stack.back().object) read_key();
        continue;
      }
      if (c == '"') {
        scan_string(nullptr);
      } else {
        while (i < n && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' && t[i] != '\t' &&
               t[i] != '\n' && t[i] != '\r')
          ++i;
      }
      if (tracked && wanted.count(current)) out[current] = {begin, i};
      current.resize(prefix);
      expect_value = false;
      if (stack.empty()) break;
    } else {
      if (stack.empty()) break;
      if (c == ',') {
        ++i;
        Frame& f = stack.back();
        if (f.object) read_key();
        else ++f.index;
        expect_value = true;
      } else if (c == '}' || c == ']') {
        ++i;
        Frame f = std::move(stack.back());
        stack.pop_back();
        if (f.tracked) {
          if (wanted.count(current)) out[current] = {f.begin, i};
          current.resize(f.prefix_len);
        }
        if (stack.empty()) break;
      } else {
        ++i;  // not valid JSON; keep going without looping forever
      }
    }
  }
  return out;
}

}  // namespace detail

// ---- loading ----------------------------------------------------------------------------------

namespace {

// Collects the DOM and remembers the first syntax error instead of throwing.
class Sax : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  explicit Sax(json& root) : json_sax_dom_parser(root, false) {}
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& /*last_token*/, const Exception& ex) {
    failed = true;
    error_position = position;
    message = ex.what();
    return false;
  }
  bool failed = false;
  std::size_t error_position = 0;
  std::string message;
};

// "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." ->
// "syntax error ..."
std::string clean_parse_message(const std::string& what) {
  std::string s = what;
  if (size_t close = s.find("] "); close != std::string::npos && s.front() == '[')
    s = s.substr(close + 2);
  if (s.rfind("parse error", 0) == 0) {
    if (size_t colon = s.find(": "); colon != std::string::npos) s = s.substr(colon + 2);
  }
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
  return s;
}

struct Problem {
  Severity severity;
  std::string pointer;  // JSON pointer of the value the problem is about
  std::string code;
  std::string message;
};

struct Path {
  std::string pointer;  // "/images/3/size"
  std::string label;    // "images[3].size"
  Path child(std::string_view key) const {
    return {pointer + "/" + escape_pointer_segment(key),
            label + (label.empty() ? "" : ".") + std::string(key)};
  }
  Path item(size_t index) const {
    return {pointer + "/" + std::to_string(index), label + "[" + std::to_string(index) + "]"};
  }
};

std::string type_name(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "a value";
}

class Reader {
 public:
  Reader(std::vector<Problem>& problems, bool strict) : problems_(problems), strict_(strict) {}

  void error(const Path& p, std::string msg, std::string code = "catalog/invalid-image") {
    problems_.push_back({Severity::Error, p.pointer, std::move(code), p.label + ": " + msg});
    ++errors_;
  }
  void warning(const Path& p, std::string msg, std::string code) {
    problems_.push_back({Severity::Warning, p.pointer, std::move(code), p.label + ": " + msg});
  }
  size_t errors() const { return errors_; }

  // Returns the member or nullptr; reports a missing required member in strict mode.
  const json* member(const json& obj, const Path& p, const char* key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required && strict_) error(p, fmt::format("missing \"{}\"", key), "catalog/missing-field");
      return nullptr;
    }
    return &*it;
  }

  void unknown_keys(const json& obj, const Path& p, std::initializer_list<std::string_view> known) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::find(known.begin(), known.end(), it.key()) != known.end()) continue;
      warning(p.child(it.key()), "unknown field (ignored)", "catalog/unknown-field");
    }
  }

  bool string(const json& obj, const Path& p, const char* key, std::string& out, bool required,
              bool nullable = false) {
    const json* v = member(obj, p, key, required);
    if (!v) return false;
    if (v->is_null() && nullable) {
      out.clear();
      return true;
    }
    if (!v->is_string()) {
      error(p.child(key), "expected a string" + std::string(nullable ? " or null" : "") + ", got " + type_name(*v));
      return false;
    }
    out = v->get_ref<const std::string&>();
    return true;
  }

  bool strings(const json& obj, const Path& p, const char* key, std::vector<std::string>& out,
               bool required, bool nullable = false) {
    const json* v = member(obj, p, key, required);
    if (!v) return false;
    if (v->is_null() && nullable) {
      out.clear();
      return true;
    }
    if (!v->is_array()) {
      error(p.child(key), "expected an array of strings, got " + type_name(*v));
      return false;
    }
    std::vector<std::string> list;
    for (size_t i = 0; i < v->size(); ++i) {
      const json& e = (*v)[i];
      if (!e.is_string()) {
        error(p.child(key).item(i), "expected a string, got " + type_name(e));
        return false;
      }
      list.push_back(e.get_ref<const std::string&>());
    }
    out = std::move(list);
    return true;
  }

  bool bytes(const json& obj, const Path& p, const char* key, uint64_t& out, bool required) {
    const json* v = member(obj, p, key, required);
    if (!v) return false;
    if (v->is_number_unsigned()) {
      out = v->get<uint64_t>();
      return true;
    }
    if (v->is_number_integer() && v->get<int64_t>() >= 0) {
      out = static_cast<uint64_t>(v->get<int64_t>());
      return true;
    }
    if (v->is_number_float()) {
      double d = v->get<double>();
      if (std::isfinite(d) && d >= 0 && d < 1e19) {
        out = static_cast<uint64_t>(std::llround(d));
        return true;
      }
    }
    error(p.child(key), "expected a size in bytes (a non-negative number), got " + type_name(*v));
    return false;
  }

  bool uint32(const json& obj, const Path& p, const char* key, uint32_t& out, bool required) {
    uint64_t v = 0;
    if (!bytes(obj, p, key, v, required)) return false;
    if (v > 0xffffffffu) {
      error(p.child(key), "expected a 32-bit id");
      return false;
    }
    out = static_cast<uint32_t>(v);
    return true;
  }

 private:
  std::vector<Problem>& problems_;
  bool strict_;
  size_t errors_ = 0;
};

bool valid_digest(std::string_view d) {
  if (d.size() != 71 || d.substr(0, 7) != "sha256:") return false;
  for (char c : d.substr(7))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// "size": {"uncompressed", "compressed"}; a user entry may give the uncompressed size only (the
// compressed one is then estimated). Names of the figures it sets go to user_set.
void read_size(Reader& rd, const json* size, const Path& p, Image& img, bool strict, bool has_base, bool user,
               std::vector<std::string>& user_set) {
  const uint64_t base_u = img.uncompressed_size, base_c = img.compressed_size;
  Path sp = p.child("size");
  if (!size->is_object()) {
    rd.error(sp, "expected an object {\"compressed\": bytes, \"uncompressed\": bytes}, got " + type_name(*size));
  } else {
    rd.unknown_keys(*size, sp, {"compressed", "uncompressed"});
    bool got_u = rd.bytes(*size, sp, "uncompressed", img.uncompressed_size, strict || !has_base);
    bool got_c = rd.bytes(*size, sp, "compressed", img.compressed_size, strict);
    if (user) {
      if (!got_u && !has_base && !size->contains("uncompressed"))
        rd.error(sp, "missing \"uncompressed\" (bytes on disk)", "catalog/missing-field");
      if (got_u) user_set.push_back("uncompressed");
      if (got_c) {
        user_set.push_back("compressed");
      } else if (got_u && has_base && base_u > 0) {
        img.compressed_size = static_cast<uint64_t>(
            static_cast<double>(base_c) * static_cast<double>(img.uncompressed_size) / static_cast<double>(base_u));
        img.sources["compressed"] = "estimate: the extended image's compressed size scaled to the uncompressed size given in the user catalog";
      } else if (got_u) {
        img.compressed_size = img.uncompressed_size * 2 / 5;
        img.sources["compressed"] = "estimate: 40% of the uncompressed size given in the user catalog";
      }
    }
    if (got_c && got_u && img.compressed_size > img.uncompressed_size)
      rd.error(sp, "compressed size is larger than the uncompressed size");
  }
}

// "config": the image config (user, workdir, env as a list or an object, entrypoint, cmd...).
void read_config(Reader& rd, const json& cfg_json, const Path& p, Image& img, bool user, std::vector<std::string>& user_set) {
  const json* cfg = &cfg_json;
  Path cp = p.child("config");
  if (!cfg->is_object()) {
    rd.error(cp, "expected an object, got " + type_name(*cfg));
  } else {
    rd.unknown_keys(*cfg, cp, {"user", "workdir", "env", "entrypoint", "cmd", "exposed_ports",
                               "volumes", "stop_signal"});
    ImageConfig& c = img.config;
    rd.string(*cfg, cp, "user", c.user, true, true);
    rd.string(*cfg, cp, "workdir", c.workdir, true, true);
    if (const json* env = rd.member(*cfg, cp, "env", true)) {
      if (env->is_object()) {  // {"KEY": "value"} is accepted for hand-written files
        std::vector<std::string> list;
        for (auto it = env->begin(); it != env->end(); ++it) {
          if (!it->is_string()) {
            rd.error(cp.child("env").child(it.key()), "expected a string, got " + type_name(*it));
            continue;
          }
          list.push_back(it.key() + "=" + it->get_ref<const std::string&>());
        }
        c.env = std::move(list);
      } else if (rd.strings(*cfg, cp, "env", c.env, true)) {
        for (size_t i = 0; i < c.env.size(); ++i)
          if (c.env[i].empty() || c.env[i].front() == '=')
            rd.error(cp.child("env").item(i), "expected \"KEY=value\"");
      }
    }
    rd.strings(*cfg, cp, "entrypoint", c.entrypoint, true, true);
    rd.strings(*cfg, cp, "cmd", c.cmd, true, true);
    rd.strings(*cfg, cp, "exposed_ports", c.exposed_ports, true);
    rd.strings(*cfg, cp, "volumes", c.volumes, true);
    rd.string(*cfg, cp, "stop_signal", c.stop_signal, true, true);
    if (user) user_set.push_back("config");
  }
}

// "users": the accounts of /etc/passwd the image has.
void read_users(Reader& rd, const json& users_json, const Path& p, Image& img, bool user) {
  const json* users = &users_json;
  Path up = p.child("users");
  if (!users->is_array()) {
    rd.error(up, "expected an array, got " + type_name(*users));
  } else {
    img.users.clear();
    for (size_t i = 0; i < users->size(); ++i) {
      const json& u = (*users)[i];
      Path ip = up.item(i);
      if (!u.is_object()) {
        rd.error(ip, "expected an object {\"name\", \"uid\", \"gid\", \"home\"}, got " + type_name(u));
        continue;
      }
      rd.unknown_keys(u, ip, {"name", "uid", "gid", "home"});
      Account a;
      bool ok = rd.string(u, ip, "name", a.name, true) && rd.uint32(u, ip, "uid", a.uid, true);
      if (!ok && user && !u.contains("name")) rd.error(ip, "missing \"name\"", "catalog/missing-field");
      if (!rd.uint32(u, ip, "gid", a.gid, false)) a.gid = a.uid;
      rd.string(u, ip, "home", a.home, false);
      if (ok) img.users.push_back(std::move(a));
    }
  }
}

// "directories": the big directories of the image, with their sizes and sources.
void read_directories(Reader& rd, const json& dirs_json, const Path& p, Image& img, bool strict, bool user) {
  const json* dirs = &dirs_json;
  Path dp = p.child("directories");
  if (!dirs->is_array()) {
    rd.error(dp, "expected an array, got " + type_name(*dirs));
  } else {
    img.directories.clear();
    for (size_t i = 0; i < dirs->size(); ++i) {
      const json& d = (*dirs)[i];
      Path ip = dp.item(i);
      if (!d.is_object()) {
        rd.error(ip, "expected an object {\"path\", \"size\", \"source\"}, got " + type_name(d));
        continue;
      }
      rd.unknown_keys(d, ip, {"path", "size", "note", "source"});
      Directory dir;
      bool ok = rd.string(d, ip, "path", dir.path, true);
      if (ok && (dir.path.empty() || dir.path.front() != '/')) {
        rd.error(ip.child("path"), "expected an absolute path");
        ok = false;
      }
      if (!ok && user && !d.contains("path")) rd.error(ip, "missing \"path\"", "catalog/missing-field");
      if (!rd.bytes(d, ip, "size", dir.size, true) && user && !d.contains("size"))
        rd.error(ip, "missing \"size\"", "catalog/missing-field");
      rd.string(d, ip, "note", dir.note, false);
      if (!rd.string(d, ip, "source", dir.source, true) && user) dir.source = "user catalog";
      if (strict && dir.source.empty()) rd.error(ip.child("source"), "empty source");
      if (ok) img.directories.push_back(std::move(dir));
    }
  }
}

// Reads one image object into `img` (which may already hold an `extends` base).
void read_image(Reader& rd, const json& obj, const Path& p, Image& img, bool strict,
                bool has_base) {
  rd.unknown_keys(obj, p,
                  {"reference", "aliases", "extends", "description", "family", "role", "version",
                   "snapshot", "os", "os_version", "libc", "platforms", "size", "shell", "shells",
                   "package_manager", "config", "users", "directories", "tools", "slimmer",
                   "runtime_images", "deprecated", "digest", "sources", "notes", "origin"});
  bool user = !strict;
  std::vector<std::string> user_set;  // figures this entry sets (their source is the user file)
  bool estimated_shell = false;
  if (user && !has_base) {
    img.os = img.libc = img.package_manager = "unknown";
    img.role = Role::Unknown;
  }
  rd.strings(obj, p, "aliases", img.aliases, false);
  rd.string(obj, p, "description", img.description, true);
  rd.string(obj, p, "family", img.family, true);
  std::string role;
  if (rd.string(obj, p, "role", role, true)) {
    if (auto r = role_from(role)) img.role = *r;
    else
      rd.error(p.child("role"), "unknown role \"" + role +
                                    "\" (expected empty, minimal, os, runtime, sdk, service or unknown)");
  }
  rd.string(obj, p, "version", img.version, true);
  rd.string(obj, p, "snapshot", img.snapshot, true);
  rd.string(obj, p, "os", img.os, true);
  rd.string(obj, p, "os_version", img.os_version, true);
  rd.string(obj, p, "libc", img.libc, true);

  std::vector<std::string> platforms;
  if (rd.strings(obj, p, "platforms", platforms, true)) {
    img.platforms.clear();
    for (size_t i = 0; i < platforms.size(); ++i) {
      std::string norm = normalize_platform(platforms[i]);
      if (norm.empty()) {
        rd.error(p.child("platforms").item(i), "\"" + platforms[i] + "\" is not a platform (os/arch[/variant])");
        continue;
      }
      if (strict && norm != platforms[i])
        rd.error(p.child("platforms").item(i), "write \"" + norm + "\" (normalised form)");
      img.platforms.push_back(norm);
    }
    if (user) user_set.push_back("platforms");
  }

  const json* size = rd.member(obj, p, "size", !has_base);
  if (size) {
    read_size(rd, size, p, img, strict, has_base, user, user_set);
  } else if (user && !has_base) {
    rd.error(p, "missing \"size\" (give {\"uncompressed\": bytes} or \"extends\": \"<image>\")",
             "catalog/missing-field");
  }

  if (const json* shell = rd.member(obj, p, "shell", true)) {
    if (shell->is_null()) img.shell.clear();
    else if (shell->is_string()) img.shell = shell->get_ref<const std::string&>();
    else rd.error(p.child("shell"), "expected a path or null, got " + type_name(*shell));
  } else if (user && !has_base) {
    img.shell = "/bin/sh";
    img.sources["shell"] = "estimate: not given in the user catalog; /bin/sh assumed";
    estimated_shell = true;
  }
  if (!rd.strings(obj, p, "shells", img.shells, true) && user && !has_base && !img.shell.empty())
    img.shells = {img.shell};
  if (!img.shell.empty() && std::find(img.shells.begin(), img.shells.end(), img.shell) == img.shells.end())
    img.shells.insert(img.shells.begin(), img.shell);
  rd.string(obj, p, "package_manager", img.package_manager, true);

  if (const json* cfg = rd.member(obj, p, "config", true)) read_config(rd, *cfg, p, img, user, user_set);

  if (const json* users = rd.member(obj, p, "users", true)) read_users(rd, *users, p, img, user);

  if (const json* dirs = rd.member(obj, p, "directories", true)) read_directories(rd, *dirs, p, img, strict, user);

  rd.strings(obj, p, "tools", img.tools, true);
  rd.strings(obj, p, "slimmer", img.slimmer, true);
  rd.strings(obj, p, "runtime_images", img.runtime_images, true);
  for (const char* key : {"slimmer", "runtime_images"}) {
    const auto& list = std::string_view(key) == "slimmer" ? img.slimmer : img.runtime_images;
    for (size_t i = 0; i < list.size(); ++i) {
      std::string err;
      if (!is_scratch_literal(list[i]) && !parse_reference(list[i], &err))
        rd.error(p.child(key).item(i), "invalid reference \"" + list[i] + "\": " + err);
    }
  }
  rd.string(obj, p, "deprecated", img.deprecated, false, true);

  if (const json* sources = rd.member(obj, p, "sources", true)) {
    Path sp = p.child("sources");
    if (!sources->is_object()) {
      rd.error(sp, "expected an object {\"figure\": \"source\"}, got " + type_name(*sources));
    } else {
      for (auto it = sources->begin(); it != sources->end(); ++it) {
        if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
          rd.error(sp.child(it.key()), "expected a non-empty string");
          continue;
        }
        img.sources[it.key()] = it->get_ref<const std::string&>();
      }
      if (strict)
        for (const char* k : {"compressed", "uncompressed", "platforms", "config"})
          if (!sources->contains(k)) rd.error(sp, fmt::format("missing \"{}\"", k), "catalog/missing-field");
    }
  }
  if (user) {
    const json* given = obj.contains("sources") && obj["sources"].is_object() ? &obj["sources"] : nullptr;
    for (const auto& k : user_set)
      if (!given || !given->contains(k)) img.sources[k] = "user catalog";
    for (const char* k : {"compressed", "uncompressed", "platforms", "config"})
      if (!img.sources.count(k)) img.sources[k] = "user catalog";
    if (!estimated_shell && obj.contains("shell")) img.sources.erase("shell");
  }

  std::string digest;
  if (rd.string(obj, p, "digest", digest, false)) {
    if (!valid_digest(digest)) rd.error(p.child("digest"), "expected \"sha256:\" and 64 lower-case hex digits");
    else img.digest = digest;
  }
  for (size_t i = 0; i < img.aliases.size(); ++i) {
    std::string err;
    if (!parse_reference(img.aliases[i], &err))
      rd.error(p.child("aliases").item(i), "invalid reference \"" + img.aliases[i] + "\": " + err);
  }
}

constexpr size_t kMaxDiagnostics = 100;

}  // namespace

Catalog Catalog::from_builtin_json(std::string_view text, Diagnostics* diagnostics) {
  Catalog c;
  Diagnostics d = c.load(text, Mode::Builtin);
  if (diagnostics) *diagnostics = std::move(d);
  return c;
}

Diagnostics Catalog::load(std::string_view text, Mode mode) {
  Diagnostics diags;
  const bool strict = mode == Mode::Builtin;
  detail::LineIndex lines(text);

  json root;
  Sax sax(root);
  json::sax_parse(text, &sax, json::input_format_t::json, true, false);
  if (sax.failed) {
    // The lexer counts the character it stopped on; point at it.
    size_t offset = sax.error_position > 0 ? sax.error_position - 1 : 0;
    Position at = lines.at(offset);
    diags.error({at, at}, "catalog/json-syntax", "invalid JSON: " + clean_parse_message(sax.message));
    return diags;
  }

  std::vector<Problem> problems;
  Reader rd(problems, strict);
  const json* list = nullptr;
  Path images_path{"", ""};
  if (root.is_array()) {
    list = &root;
    images_path = {"", "images"};
  } else if (root.is_object()) {
    rd.unknown_keys(root, {"", ""}, {"schema", "snapshot", "notes", "images"});
    auto it = root.find("images");
    if (it != root.end() && it->is_array()) {
      list = &*it;
      images_path = {"/images", "images"};
    }
  }
  if (!list) {
    problems.push_back({Severity::Error, "", "catalog/invalid-shape",
                        "expected an object with an \"images\" array (or the array itself)"});
  } else {
    std::unordered_map<std::string, size_t> seen;  // primary keys added by this load
    for (size_t i = 0; i < list->size(); ++i) {
      const json& obj = (*list)[i];
      Path p = images_path.item(i);
      if (!obj.is_object()) {
        rd.error(p, "expected an image object, got " + type_name(obj));
        continue;
      }
      std::string reference;
      if (!rd.string(obj, p, "reference", reference, true)) {
        if (!obj.contains("reference")) {
          if (!strict) rd.error(p, "missing \"reference\"", "catalog/missing-field");
        }
        continue;
      }
      ImageReference ref;
      if (reference == "scratch") {
        ref.path = "scratch";
      } else {
        std::string err;
        auto parsed = parse_reference(reference, &err);
        if (!parsed) {
          rd.error(p.child("reference"), "invalid reference \"" + reference + "\": " + err,
                   "catalog/invalid-reference");
          continue;
        }
        ref = *parsed;
      }
      size_t errors_before = rd.errors();
      Image img;
      bool has_base = false;
      std::string base;
      if (rd.string(obj, p, "extends", base, false)) {
        const Image* b = find(base);
        if (!b) {
          rd.error(p.child("extends"), "\"" + base + "\" is not in the catalog");
          continue;
        }
        img = *b;
        // Extending the image being replaced keeps its aliases (node:iron stays node:20).
        if (b->reference != reference) img.aliases.clear();
        img.digest.clear();
        has_base = true;
        if (!obj.contains("deprecated")) img.deprecated.clear();
      }
      read_image(rd, obj, p, img, strict, has_base);
      if (rd.errors() != errors_before) continue;  // skip broken images

      img.reference = reference;
      img.ref = ref;
      img.origin = strict ? Origin::Builtin : Origin::User;
      if (img.digest.empty()) img.digest = synthetic_digest(reference == "scratch" ? "scratch" : ref.canonical(), img.version);

      std::string key = reference == "scratch" ? "scratch" : ref.name() + ":" + ref.effective_tag();
      if (auto dup = seen.find(key); dup != seen.end())
        rd.warning(p.child("reference"),
                   "\"" + reference + "\" is listed twice; this entry replaces images[" +
                       std::to_string(dup->second) + "]",
                   "catalog/duplicate");
      seen[key] = i;

      // Replace an image with the same primary reference, else append.
      size_t index;
      if (auto pi = primary_.find(key); pi != primary_.end()) {
        index = pi->second;
        images_[index] = std::move(img);
      } else {
        index = images_.size();
        images_.push_back(std::move(img));
        primary_[key] = index;
      }
      index_image(index);
    }
    reindex();
  }

  // Positions: one pass over the text for every pointer that needs one.
  std::unordered_set<std::string> pointers;
  for (const auto& pr : problems) pointers.insert(pr.pointer);
  auto ranges = detail::locate_json_values(text, pointers);
  size_t shown = 0;
  for (const auto& pr : problems) {
    if (shown == kMaxDiagnostics) {
      Position end = lines.at(text.size());
      diags.note({end, end}, "catalog/too-many",
                 fmt::format("{} more problems not shown", problems.size() - shown));
      break;
    }
    Range r;
    if (auto it = ranges.find(pr.pointer); it != ranges.end())
      r = {lines.at(it->second.begin), lines.at(it->second.end)};
    diags.add({pr.severity, r, pr.code, pr.message});
    ++shown;
  }
  return diags;
}

// ---- export -----------------------------------------------------------------------------------

nlohmann::json to_json(const Image& img) {
  json j = json::object();
  j["reference"] = img.reference;
  j["aliases"] = img.aliases;
  j["description"] = img.description;
  j["family"] = img.family;
  j["role"] = std::string(role_name(img.role));
  j["version"] = img.version;
  j["snapshot"] = img.snapshot;
  j["os"] = img.os;
  j["os_version"] = img.os_version;
  j["libc"] = img.libc;
  j["platforms"] = img.platforms;
  j["size"] = {{"compressed", img.compressed_size}, {"uncompressed", img.uncompressed_size}};
  j["shell"] = img.shell.empty() ? json(nullptr) : json(img.shell);
  j["shells"] = img.shells;
  j["package_manager"] = img.package_manager;
  const ImageConfig& c = img.config;
  auto list_or_null = [](const std::vector<std::string>& v) { return v.empty() ? json(nullptr) : json(v); };
  j["config"] = {{"user", c.user},
                 {"workdir", c.workdir},
                 {"env", c.env},
                 {"entrypoint", list_or_null(c.entrypoint)},
                 {"cmd", list_or_null(c.cmd)},
                 {"exposed_ports", c.exposed_ports},
                 {"volumes", c.volumes},
                 {"stop_signal", c.stop_signal}};
  json users = json::array();
  for (const auto& a : img.users)
    users.push_back({{"name", a.name}, {"uid", a.uid}, {"gid", a.gid}, {"home", a.home}});
  j["users"] = users;
  json dirs = json::array();
  for (const auto& d : img.directories) {
    json e = {{"path", d.path}, {"size", d.size}, {"source", d.source}};
    if (!d.note.empty()) e["note"] = d.note;
    dirs.push_back(e);
  }
  j["directories"] = dirs;
  j["tools"] = img.tools;
  j["slimmer"] = img.slimmer;
  j["runtime_images"] = img.runtime_images;
  j["deprecated"] = img.deprecated.empty() ? json(nullptr) : json(img.deprecated);
  j["sources"] = img.sources;
  j["digest"] = img.digest;
  j["origin"] = std::string(origin_name(img.origin));
  return j;
}

nlohmann::json to_json(const Resolution& r) {
  json j = json::object();
  j["input"] = detail::valid_utf8(r.input);
  j["ok"] = r.ok;
  if (!r.ok) {
    j["error"] = r.error;
    return j;
  }
  j["reference"] = r.match == Match::Scratch ? std::string("scratch") : r.ref.canonical();
  j["familiar"] = r.match == Match::Scratch ? std::string("scratch") : r.ref.familiar();
  j["match"] = std::string(match_name(r.match));
  j["estimated"] = r.estimated;
  j["reason"] = r.reason;
  j["template"] = r.template_reference.empty() ? json(nullptr) : json(r.template_reference);
  j["warnings"] = r.warnings;
  j["image"] = to_json(r.image);
  return j;
}

nlohmann::json Catalog::to_json() const {
  json images = json::array();
  for (const auto& img : images_) images.push_back(catalog::to_json(img));
  return {{"schema", 1}, {"images", images}};
}

}  // namespace dfplay::catalog
