#include "workspace_input.h"

#include <initializer_list>

#include "context/path.h"
#include "stages/graph.h"

namespace dfplay {
namespace {

using nlohmann::json;

std::string prefix(std::string_view what) { return std::string(what) + ": "; }

// The value of the first of `names` present in `j` (nullptr when none is).
const json* field(const json& j, std::initializer_list<const char*> names) {
  const json* found = nullptr;
  for (const char* n : names)
    if (auto it = j.find(n); it != j.end()) found = &*it;
  return found;
}

std::string type_error(std::string_view what, std::string_view field, std::string_view expected) {
  return prefix(what) + std::string(field) + " must be " + std::string(expected);
}

std::string build_args_from_json(const json& v, std::vector<std::pair<std::string, std::string>>& out,
                                 std::string_view what) {
  out.clear();
  auto add = [&](std::string name, std::string value) -> std::string {
    if (name.empty()) return prefix(what) + "a build arg has an empty name";
    if (name.find('=') != std::string::npos) return prefix(what) + "the build arg name `" + name + "` contains '='";
    for (auto& kv : out)
      if (kv.first == name) {
        kv.second = std::move(value);
        return {};
      }
    out.emplace_back(std::move(name), std::move(value));
    return {};
  };
  if (v.is_object()) {
    for (const auto& [k, val] : v.items()) {
      if (!val.is_string()) return type_error(what, "options.build_args." + k, "a string");
      if (auto e = add(k, val.get<std::string>()); !e.empty()) return e;
    }
    return {};
  }
  if (v.is_array()) {
    for (const auto& item : v) {
      if (item.is_string()) {
        std::string s = item.get<std::string>();
        auto eq = s.find('=');
        if (eq == std::string::npos) return prefix(what) + "build arg `" + s + "` must be NAME=VALUE";
        if (auto e = add(s.substr(0, eq), s.substr(eq + 1)); !e.empty()) return e;
      } else if (item.is_array() && item.size() == 2 && item[0].is_string() && item[1].is_string()) {
        if (auto e = add(item[0].get<std::string>(), item[1].get<std::string>()); !e.empty()) return e;
      } else {
        return type_error(what, "each entry of options.build_args", "\"NAME=VALUE\" or [NAME, VALUE]");
      }
    }
    return {};
  }
  return type_error(what, "options.build_args", "an object {NAME: value} or a list of \"NAME=VALUE\"");
}

}  // namespace

std::string options_from_json(const json& j, WorkspaceOptions& out, std::string_view what) {
  if (j.is_null()) return {};
  if (!j.is_object()) return type_error(what, "options", "an object");
  static const char* const kKnown[] = {"target", "platform", "build_args", "buildArgs", "no_cache", "noCache",
                                       "no_cache_filter", "noCacheFilter", "network", "best_practices",
                                       "bestPractices", "digest_overrides", "digestOverrides"};
  for (const auto& [k, v] : j.items()) {
    bool known = false;
    for (const char* n : kKnown) known |= k == n;
    if (!known) return prefix(what) + "unknown option `" + k + "` (known: target, platform, build_args, no_cache, no_cache_filter, network, best_practices, digest_overrides)";
  }
  WorkspaceOptions o = out;
  auto str = [&](std::initializer_list<const char*> names, const char* label, std::string& dst) -> std::string {
    const json* v = field(j, names);
    if (!v || v->is_null()) return {};
    if (!v->is_string()) return type_error(what, std::string("options.") + label, "a string");
    dst = v->get<std::string>();
    return {};
  };
  auto flag = [&](std::initializer_list<const char*> names, const char* label, bool& dst) -> std::string {
    const json* v = field(j, names);
    if (!v || v->is_null()) return {};
    if (!v->is_boolean()) return type_error(what, std::string("options.") + label, "true or false");
    dst = v->get<bool>();
    return {};
  };
  if (auto e = str({"target"}, "target", o.target); !e.empty()) return e;
  if (auto e = str({"platform"}, "platform", o.platform); !e.empty()) return e;
  if (o.platform.empty()) o.platform = "linux/amd64";
  if (!stages::Platform::parse(o.platform))
    return prefix(what) + "options.platform \"" + o.platform + "\" is not a platform (expected os/arch[/variant], e.g. linux/arm64)";
  if (auto e = str({"network"}, "network", o.network); !e.empty()) return e;
  if (o.network.empty()) o.network = "default";
  if (auto e = flag({"no_cache", "noCache"}, "no_cache", o.no_cache); !e.empty()) return e;
  if (auto e = flag({"best_practices", "bestPractices"}, "best_practices", o.best_practices); !e.empty()) return e;
  if (const json* v = field(j, {"build_args", "buildArgs"}); v && !v->is_null()) {
    if (auto e = build_args_from_json(*v, o.build_args, what); !e.empty()) return e;
  }
  if (const json* v = field(j, {"no_cache_filter", "noCacheFilter"}); v && !v->is_null()) {
    if (!v->is_array()) return type_error(what, "options.no_cache_filter", "a list of stage names");
    o.no_cache_filter.clear();
    for (const auto& s : *v) {
      if (!s.is_string()) return type_error(what, "each entry of options.no_cache_filter", "a string");
      o.no_cache_filter.push_back(s.get<std::string>());
    }
  }
  if (const json* v = field(j, {"digest_overrides", "digestOverrides"}); v && !v->is_null()) {
    if (!v->is_object()) return type_error(what, "options.digest_overrides", "an object {image: digest}");
    o.digest_overrides.clear();
    for (const auto& [k, d] : v->items()) {
      if (!d.is_string()) return type_error(what, "options.digest_overrides." + k, "a string");
      o.digest_overrides[k] = d.get<std::string>();
    }
  }
  out = std::move(o);
  return {};
}

std::string files_from_json(const json& j, std::vector<WorkspaceFile>& out, std::string_view what) {
  std::vector<WorkspaceFile> files;
  auto add = [&](const std::string& raw, std::string content, uint32_t mode,
                 std::optional<uint64_t> size = std::nullopt) -> std::string {
    bool escaped = false;
    std::string path = context::context_relative(raw, &escaped);
    if (raw.empty() || path.empty()) return prefix(what) + "a file path is empty (\"" + raw + "\")";
    if (escaped) return prefix(what) + "the file path \"" + raw + "\" leaves the build context";
    if (raw.find('\0') != std::string::npos) return prefix(what) + "a file path contains a NUL byte";
    files.push_back({std::move(path), std::move(content), mode, size});
    return {};
  };
  // {"size": N}: a file known by its size only (N bytes, a JSON-safe integer).
  auto size_of = [&](const json& v, const std::string& path, std::optional<uint64_t>& size) -> std::string {
    if (!v.is_number_unsigned() || v.get<uint64_t>() > (uint64_t{1} << 53))
      return prefix(what) + "the size of file `" + path + "` must be a number of bytes (0..2^53)";
    size = v.get<uint64_t>();
    return {};
  };
  if (j.is_null()) {
    out.clear();
    return {};
  }
  if (j.is_object()) {
    for (const auto& [path, content] : j.items()) {
      if (content.is_object() && content.size() == 1 && content.contains("size")) {
        std::optional<uint64_t> size;
        if (auto e = size_of(content["size"], path, size); !e.empty()) return e;
        if (auto e = add(path, {}, 0644, size); !e.empty()) return e;
        continue;
      }
      if (!content.is_string()) return prefix(what) + "the content of file `" + path + "` must be a string (or {\"size\": bytes})";
      if (auto e = add(path, content.get<std::string>(), 0644); !e.empty()) return e;
    }
  } else if (j.is_array()) {
    for (const auto& f : j) {
      const bool has_content = f.is_object() && f.contains("content") && f["content"].is_string();
      const bool has_size = f.is_object() && f.contains("size") && !f.contains("content");
      if (f.is_object() && f.contains("path") && f["path"].is_string() && (has_content || has_size)) {
        for (const auto& [k, v] : f.items())
          if (k != "path" && k != "content" && k != "mode" && k != "size")
            return prefix(what) + "unknown field `" + k + "` in a file entry (path, content or size, mode)";
        if (f.contains("size") && f.contains("content"))
          return prefix(what) + "file `" + f["path"].get<std::string>() + "` has both content and size";
        uint32_t mode = 0644;
        if (auto m = f.find("mode"); m != f.end() && !m->is_null()) {
          if (!m->is_number_unsigned() || m->get<uint64_t>() > 07777)
            return prefix(what) + "the mode of file `" + f["path"].get<std::string>() + "` must be a number in 0..4095 (0o7777)";
          mode = static_cast<uint32_t>(m->get<uint64_t>());
        }
        std::optional<uint64_t> size;
        if (has_size) {
          if (auto e = size_of(f["size"], f["path"].get<std::string>(), size); !e.empty()) return e;
        }
        if (auto e = add(f["path"].get<std::string>(), has_content ? f["content"].get<std::string>() : std::string(), mode, size);
            !e.empty())
          return e;
      } else if (f.is_array() && f.size() == 2 && f[0].is_string() && f[1].is_string()) {
        if (auto e = add(f[0].get<std::string>(), f[1].get<std::string>(), 0644); !e.empty()) return e;
      } else {
        return prefix(what) + "each entry of `files` must be {path, content}, {path, size} or [path, content] with strings";
      }
    }
  } else {
    return prefix(what) + "`files` must be an object {path: content} or a list of {path, content}";
  }
  out = std::move(files);
  return {};
}

std::string input_from_json(const json& j, WorkspaceInput& out, std::string_view what) {
  if (!j.is_object()) return prefix(what) + "expected an object {dockerfile, files, options}";
  for (const auto& [k, v] : j.items())
    if (k != "dockerfile" && k != "files" && k != "options" && k != "dockerfile_path" && k != "dockerfilePath")
      return prefix(what) + "unknown field `" + k + "` (expected dockerfile, files, options, dockerfile_path)";
  WorkspaceInput in;
  if (auto it = j.find("dockerfile"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return prefix(what) + "`dockerfile` must be a string";
    in.dockerfile = it->get<std::string>();
  }
  if (const json* v = field(j, {"dockerfile_path", "dockerfilePath"}); v && !v->is_null()) {
    if (!v->is_string()) return prefix(what) + "`dockerfile_path` must be a string";
    bool escaped = false;
    in.dockerfile_path = context::context_relative(v->get<std::string>(), &escaped);
    if (in.dockerfile_path.empty() || escaped)
      return prefix(what) + "`dockerfile_path` must be a file path inside the context";
  }
  if (auto it = j.find("files"); it != j.end()) {
    if (auto e = files_from_json(*it, in.files, what); !e.empty()) return e;
  }
  if (auto it = j.find("options"); it != j.end()) {
    if (auto e = options_from_json(*it, in.options, what); !e.empty()) return e;
  }
  out = std::move(in);
  return {};
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of the escape `\uXXXX` at text[i] (text[i] == '\\'), or -1.
int unicode_escape(std::string_view text, size_t i) {
  if (i + 6 > text.size() || text[i] != '\\' || text[i + 1] != 'u') return -1;
  int v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    int d = hex_digit(text[k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

}  // namespace

json parse_json_text(std::string_view text) {
  // Lone surrogate escapes become \ufffd (escaped backslashes are skipped in pairs, so `\\ud800`
  // stays the text "\ud800"). Most input has no escape at all: no copy then.
  std::string fixed;
  size_t copied = 0;
  bool changed = false;
  for (size_t i = text.find('\\'); i != std::string_view::npos && i < text.size(); i = text.find('\\', i)) {
    int v = unicode_escape(text, i);
    if (v < 0xD800 || v > 0xDFFF) {
      i += 2;  // another escape (or a pair of backslashes): skip both characters
      continue;
    }
    if (v <= 0xDBFF) {
      int next = unicode_escape(text, i + 6);
      if (next >= 0xDC00 && next <= 0xDFFF) {
        i += 12;  // a well-formed pair
        continue;
      }
    }
    fixed.append(text.substr(copied, i - copied));
    fixed += "\\ufffd";
    i += 6;
    copied = i;
    changed = true;
  }
  if (!changed) return json::parse(text, nullptr, /*allow_exceptions=*/false);
  fixed.append(text.substr(copied));
  return json::parse(std::string_view(fixed), nullptr, /*allow_exceptions=*/false);
}

std::string input_from_json_text(std::string_view text, WorkspaceInput& out, std::string_view what) {
  json j = parse_json_text(text);
  if (j.is_discarded()) return prefix(what) + "the argument is not valid JSON";
  return input_from_json(j, out, what);
}

void apply_input(Workspace& ws, WorkspaceInput in) {
  ws.set_dockerfile(std::move(in.dockerfile));
  ws.set_dockerfile_path(std::move(in.dockerfile_path));
  ws.set_files(std::move(in.files));
  ws.set_options(std::move(in.options));
}

bool same_input(const WorkspaceInput& a, const WorkspaceInput& b) {
  const WorkspaceOptions &x = a.options, &y = b.options;
  const bool same_options = x.target == y.target && x.build_args == y.build_args && x.platform == y.platform &&
                            x.no_cache == y.no_cache && x.no_cache_filter == y.no_cache_filter &&
                            x.network == y.network && x.best_practices == y.best_practices &&
                            x.digest_overrides == y.digest_overrides;
  if (!same_options || a.dockerfile != b.dockerfile || a.dockerfile_path != b.dockerfile_path ||
      a.files.size() != b.files.size())
    return false;
  for (size_t i = 0; i < a.files.size(); ++i) {
    const WorkspaceFile &f = a.files[i], &g = b.files[i];
    if (f.path != g.path || f.content != g.content || f.mode != g.mode || f.size != g.size) return false;
  }
  return true;
}

}  // namespace dfplay
