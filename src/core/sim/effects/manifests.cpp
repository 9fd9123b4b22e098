// Reading project manifests for the effect models: package.json, package-lock.json, tsconfig.json,
// go.mod, requirements.txt, *.csproj, Cargo.toml, pom.xml. Parsed results are cached by content
// hash (the same manifest is read by many RUN steps and many re-analyses), so simulate_run stays
// in the microsecond range after warm-up.
#include <nlohmann/json.hpp>

#include <unordered_map>

#include "sim/effects/internal.h"

namespace dfplay::sim::detail {

namespace {

template <class T>
class Cache {
 public:
  std::shared_ptr<const T> get(uint64_t key) const {
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : it->second;
  }
  std::shared_ptr<const T> put(uint64_t key, T value) {
    if (map_.size() > 256) map_.clear();
    auto p = std::make_shared<const T>(std::move(value));
    map_[key] = p;
    return p;
  }

 private:
  std::unordered_map<uint64_t, std::shared_ptr<const T>> map_;
};

uint64_t key_of(const FileNode& n) {
  if (n.content) return n.hash ? n.hash : content_hash(*n.content);
  return 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

template <class F>
void for_each_line(std::string_view text, F&& f) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    f(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
}

// JSON with comments and trailing commas (tsconfig.json) -> strict JSON.
std::string strip_jsonc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"') {
      size_t j = i + 1;
      while (j < s.size() && s[j] != '"') j += s[j] == '\\' ? 2 : 1;
      j = std::min(j + 1, s.size());
      out.append(s.substr(i, j - i));
      i = j;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      size_t e = s.find("*/", i + 2);
      i = e == std::string_view::npos ? s.size() : e + 2;
    } else if (c == ',') {
      size_t j = i + 1;
      while (j < s.size() && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r')) ++j;
      if (j < s.size() && (s[j] == '}' || s[j] == ']')) {
        ++i;  // trailing comma
      } else {
        out += c;
        ++i;
      }
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::vector<std::string> object_keys(const nlohmann::json& j, const char* field) {
  std::vector<std::string> out;
  auto it = j.find(field);
  if (it == j.end() || !it->is_object()) return out;
  for (auto e = it->begin(); e != it->end(); ++e) out.push_back(e.key());
  return out;
}

std::string string_field(const nlohmann::json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::vector<std::string> string_array(const nlohmann::json& j, const char* field) {
  std::vector<std::string> out;
  auto it = j.find(field);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& e : *it)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

bool bool_field(const nlohmann::json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

// The text between <tag> and </tag> (first occurrence at or after `from`).
std::string xml_text(std::string_view s, std::string_view tag, size_t from = 0) {
  std::string open("<");
  open.append(tag).append(">");
  std::string close("</");
  close.append(tag).append(">");
  size_t b = s.find(open, from);
  if (b == std::string_view::npos) return {};
  b += open.size();
  size_t e = s.find(close, b);
  if (e == std::string_view::npos) return {};
  return std::string(trim(s.substr(b, e - b)));
}

bool xml_true(std::string_view s, std::string_view tag) {
  std::string v = xml_text(s, tag);
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v == "true";
}

}  // namespace

const std::string* PackageJson::script(std::string_view name) const {
  for (const auto& [k, v] : scripts)
    if (k == name) return &v;
  return nullptr;
}

std::shared_ptr<const PackageJson> parse_package_json(const FileNode& n) {
  static thread_local Cache<PackageJson> cache;
  uint64_t k = key_of(n);
  if (!k) return std::make_shared<const PackageJson>();
  if (auto hit = cache.get(k)) return hit;
  PackageJson p;
  auto j = nlohmann::json::parse(std::string_view(*n.content), nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    p.valid = true;
    p.name = string_field(j, "name");
    p.version = string_field(j, "version");
    p.deps = object_keys(j, "dependencies");
    p.dev_deps = object_keys(j, "devDependencies");
    p.optional_deps = object_keys(j, "optionalDependencies");
    p.package_manager = string_field(j, "packageManager");
    auto s = j.find("scripts");
    if (s != j.end() && s->is_object())
      for (auto e = s->begin(); e != s->end(); ++e)
        if (e->is_string()) p.scripts.emplace_back(e.key(), e->get<std::string>());
  }
  return cache.put(k, std::move(p));
}

std::shared_ptr<const PackageLock> parse_package_lock(const FileNode& n) {
  static thread_local Cache<PackageLock> cache;
  uint64_t k = key_of(n);
  if (!k) return std::make_shared<const PackageLock>();
  if (auto hit = cache.get(k)) return hit;
  PackageLock p;
  auto j = nlohmann::json::parse(std::string_view(*n.content), nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    p.valid = true;
    auto pk = j.find("packages");
    if (pk != j.end() && pk->is_object()) {
      for (auto e = pk->begin(); e != pk->end(); ++e) {
        if (e.key().empty() || !e->is_object()) continue;
        ++p.packages;
        if (bool_field(*e, "dev")) ++p.dev_packages;
      }
    } else {
      auto deps = j.find("dependencies");  // lockfileVersion 1
      if (deps != j.end() && deps->is_object()) {
        for (auto e = deps->begin(); e != deps->end(); ++e) {
          ++p.packages;
          if (e->is_object() && bool_field(*e, "dev")) ++p.dev_packages;
        }
      }
    }
  }
  return cache.put(k, std::move(p));
}

std::shared_ptr<const TsConfig> parse_tsconfig(const FileNode& n) {
  static thread_local Cache<TsConfig> cache;
  uint64_t k = key_of(n);
  if (!k) return std::make_shared<const TsConfig>();
  if (auto hit = cache.get(k)) return hit;
  TsConfig t;
  auto j = nlohmann::json::parse(std::string_view(strip_jsonc(*n.content)), nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    t.valid = true;
    t.extends = string_field(j, "extends");
    t.include = string_array(j, "include");
    t.exclude = string_array(j, "exclude");
    t.files = string_array(j, "files");
    auto co = j.find("compilerOptions");
    if (co != j.end() && co->is_object()) {
      t.out_dir = string_field(*co, "outDir");
      t.root_dir = string_field(*co, "rootDir");
      t.declaration = bool_field(*co, "declaration");
      t.source_map = bool_field(*co, "sourceMap");
      t.no_emit = bool_field(*co, "noEmit");
      t.composite = bool_field(*co, "composite");
    }
  }
  return cache.put(k, std::move(t));
}

std::shared_ptr<const GoMod> parse_go_mod(const FileNode& n) {
  static thread_local Cache<GoMod> cache;
  uint64_t k = key_of(n);
  if (!k) return std::make_shared<const GoMod>();
  if (auto hit = cache.get(k)) return hit;
  GoMod g;
  g.valid = true;
  bool in_require = false, in_replace = false;
  auto count = [&](std::string_view line) {
    if (line.empty() || line.rfind("//", 0) == 0) return;
    if (line.find("// indirect") != std::string_view::npos) ++g.indirect;
    else ++g.direct;
  };
  for_each_line(*n.content, [&](std::string_view raw) {
    std::string_view line = trim(raw);
    if (in_require || in_replace) {
      if (line == ")") {
        in_require = in_replace = false;
        return;
      }
      if (in_require) count(line);
      if (in_replace && line.find("=> .") != std::string_view::npos) g.has_replace_local = true;
      return;
    }
    if (line.rfind("module ", 0) == 0) g.module = std::string(trim(line.substr(7)));
    else if (line.rfind("go ", 0) == 0) g.go_version = std::string(trim(line.substr(3)));
    else if (line.rfind("require (", 0) == 0 || line == "require(") in_require = true;
    else if (line.rfind("require ", 0) == 0) count(trim(line.substr(8)));
    else if (line.rfind("replace (", 0) == 0) in_replace = true;
    else if (line.rfind("replace ", 0) == 0 && line.find("=> .") != std::string_view::npos) g.has_replace_local = true;
  });
  // Quoted module paths.
  if (g.module.size() >= 2 && g.module.front() == '"') g.module = g.module.substr(1, g.module.size() - 2);
  return cache.put(k, std::move(g));
}

std::shared_ptr<const Requirements> parse_requirements(const FileNode& n) {
  static thread_local Cache<Requirements> cache;
  uint64_t k = key_of(n);
  if (!k) return std::make_shared<const Requirements>();
  if (auto hit = cache.get(k)) return hit;
  Requirements r;
  for_each_line(*n.content, [&](std::string_view raw) {
    std::string_view line = raw;
    if (size_t h = line.find(" #"); h != std::string_view::npos) line = line.substr(0, h);
    line = trim(line);
    if (line.empty() || line[0] == '#') return;
    if (line.rfind("-r ", 0) == 0 || line.rfind("--requirement", 0) == 0) {
      size_t sp = line.find_first_of(" =");
      r.nested.emplace_back(trim(line.substr(sp + 1)));
      return;
    }
    if (line.rfind("-e ", 0) == 0 || line.rfind("--editable", 0) == 0) {
      r.has_editable = true;
      return;
    }
    if (line[0] == '-') return;  // --index-url, -c constraints...
    size_t end = line.find_first_of("<>=!~;[ @\t");
    std::string name(line.substr(0, end));
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (c == '_') c = '-';
    }
    if (!name.empty()) r.names.push_back(std::move(name));
  });
  return cache.put(k, std::move(r));
}

std::shared_ptr<const CsProj> parse_csproj(const FileNode& n, std::string_view file_name) {
  static thread_local Cache<CsProj> cache;
  uint64_t k = key_of(n);
  CsProj p;
  std::string stem(file_name);
  if (size_t dot = stem.rfind('.'); dot != std::string::npos) stem.resize(dot);
  if (!k) {
    p.assembly = stem;
    return std::make_shared<const CsProj>(std::move(p));
  }
  k = hash_combine(k, file_name);
  if (auto hit = cache.get(k)) return hit;
  std::string_view s = *n.content;
  p.assembly = xml_text(s, "AssemblyName");
  if (p.assembly.empty()) p.assembly = stem;
  p.target_framework = xml_text(s, "TargetFramework");
  if (size_t sdk = s.find("Sdk=\""); sdk != std::string_view::npos) {
    size_t e = s.find('"', sdk + 5);
    if (e != std::string_view::npos) p.sdk = std::string(s.substr(sdk + 5, e - sdk - 5));
  }
  size_t pos = 0;
  while ((pos = s.find("<PackageReference", pos)) != std::string_view::npos) {
    pos += 17;
    size_t inc = s.find("Include=", pos);
    if (inc == std::string_view::npos) break;
    char q = inc + 8 < s.size() ? s[inc + 8] : '"';
    size_t e = s.find(q, inc + 9);
    if (e == std::string_view::npos) break;
    p.packages.emplace_back(s.substr(inc + 9, e - inc - 9));
  }
  p.self_contained = xml_true(s, "SelfContained");
  p.trimmed = xml_true(s, "PublishTrimmed");
  p.aot = xml_true(s, "PublishAot");
  p.single_file = xml_true(s, "PublishSingleFile");
  return cache.put(k, std::move(p));
}

std::shared_ptr<const CargoToml> parse_cargo_toml(const FileNode& n) {
  static thread_local Cache<CargoToml> cache;
  uint64_t k = key_of(n);
  if (!k) return std::make_shared<const CargoToml>();
  if (auto hit = cache.get(k)) return hit;
  CargoToml t;
  std::string section;
  for_each_line(*n.content, [&](std::string_view raw) {
    std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#') return;
    if (line[0] == '[') {
      section = std::string(line);
      return;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return;
    std::string_view key = trim(line.substr(0, eq));
    std::string_view val = trim(line.substr(eq + 1));
    if (section == "[package]" && key == "name") {
      if (val.size() >= 2 && (val.front() == '"' || val.front() == '\'')) val = val.substr(1, val.size() - 2);
      t.name = std::string(val);
    } else if (section == "[dependencies]") {
      ++t.deps;
    } else if (section == "[profile.release]") {
      if (key == "strip" && val != "false" && val != "\"none\"") t.strip = true;
      if (key == "lto" && val != "false") t.lto = true;
    }
  });
  return cache.put(k, std::move(t));
}

std::shared_ptr<const PomXml> parse_pom(const FileNode& n) {
  static thread_local Cache<PomXml> cache;
  uint64_t k = key_of(n);
  if (!k) return std::make_shared<const PomXml>();
  if (auto hit = cache.get(k)) return hit;
  PomXml p;
  std::string_view s = *n.content;
  // The project's own coordinates: outside <parent> and before the first nested section (a
  // dependency's <version> is not the project's); a missing version is inherited from <parent>.
  std::string head(s);
  std::string parent_block;
  if (size_t pb = head.find("<parent>"), pe = head.find("</parent>");
      pb != std::string::npos && pe != std::string::npos && pe > pb) {
    parent_block = head.substr(pb, pe + 9 - pb);
    head.erase(pb, pe + 9 - pb);
  }
  for (std::string_view stop : {"<dependencies>", "<dependencyManagement>", "<build>", "<profiles>", "<modules>",
                                "<properties>"})
    if (size_t e = head.find(stop); e != std::string::npos) head.resize(e);
  p.artifact = xml_text(head, "artifactId");
  p.version = xml_text(head, "version");
  if (p.version.empty()) p.version = xml_text(parent_block, "version");
  std::string packaging = xml_text(head, "packaging");
  if (!packaging.empty()) p.packaging = packaging;
  // <build><finalName>, with ${project.artifactId}, ${project.version} and <properties> expanded.
  if (size_t bpos = s.find("<build>"); bpos != std::string_view::npos) {
    std::string fn = xml_text(s, "finalName", bpos);
    std::string out;
    for (size_t i = 0; i < fn.size();) {
      size_t open = fn.find("${", i);
      if (open == std::string::npos) {
        out.append(fn, i);
        break;
      }
      out.append(fn, i, open - i);
      size_t close = fn.find('}', open);
      if (close == std::string::npos) {
        out.append(fn, open);
        break;
      }
      std::string name = fn.substr(open + 2, close - open - 2);
      std::string value;
      if (name == "project.artifactId" || name == "artifactId" || name == "pom.artifactId") value = p.artifact;
      else if (name == "project.version" || name == "version" || name == "pom.version") value = p.version;
      else if (size_t pp = s.find("<properties>"); pp != std::string_view::npos) value = xml_text(s, name, pp);
      out += value.empty() ? fn.substr(open, close - open + 1) : value;
      i = close + 1;
    }
    p.final_name = out;
  }
  size_t pos = 0;
  while ((pos = s.find("<dependency>", pos)) != std::string_view::npos) {
    ++p.deps;
    pos += 12;
  }
  p.spring_boot = s.find("spring-boot-maven-plugin") != std::string_view::npos;
  return cache.put(k, std::move(p));
}

}  // namespace dfplay::sim::detail
