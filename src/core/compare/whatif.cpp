#include "compare/whatif.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "compare/whatif_job.h"
#include "catalog/reference.h"

namespace dfplay::compare {
namespace {

constexpr const char* kArrow = "\xE2\x86\x92";  // →

struct Edit {
  size_t begin, end;
  std::string text;
};

std::string apply_edits(std::string text, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
  for (const auto& e : edits) {
    if (e.begin > text.size() || e.end > text.size() || e.end < e.begin) continue;
    text.replace(e.begin, e.end - e.begin, e.text);
  }
  return text;
}

size_t line_start(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  while (offset > 0 && text[offset - 1] != '\n') --offset;
  return offset;
}

size_t line_after(std::string_view text, size_t offset) {
  auto nl = text.find('\n', std::min(offset, text.size()));
  return nl == std::string_view::npos ? text.size() : nl + 1;
}

// The instruction's lines as written (from the start of its first line to its end).
std::string instruction_text(std::string_view text, const ins::Instruction& i) {
  size_t b = line_start(text, i.range().begin.offset), e = std::min<size_t>(i.range().end.offset, text.size());
  return e > b ? std::string(text.substr(b, e - b)) : std::string();
}

bool has_file(const WorkspaceInput& in, std::string_view path) {
  for (const auto& f : in.files)
    if (f.path == path) return true;
  return false;
}

std::string first_line_of(std::string_view s) { return std::string(s.substr(0, s.find('\n'))); }

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

std::string run_command(const ins::Instruction& i) {
  const ins::Run* r = i.as<ins::Run>();
  if (!r) return {};
  std::string s;
  for (const auto& w : r->args) s += (s.empty() ? "" : " ") + w.text;
  return s;
}

// A dependency install the manifest-first edit can move: its family and the manifests to copy.
struct Install {
  std::string family;  // npm, yarn, pnpm, pip, go, dotnet, bundle, composer
  std::vector<std::string> manifests;
  bool lock = false;   // a lock file is present (npm: `npm ci` works)
};

std::optional<Install> install_of(const std::string& command, const WorkspaceInput& in) {
  // The first command of the line (before && or ;).
  std::string cmd = command;
  for (const char* sep : {"&&", ";", "||"})
    if (auto p = cmd.find(sep); p != std::string::npos) cmd = cmd.substr(0, p);
  cmd = trim(cmd);
  Install r;
  auto is = [&](std::initializer_list<const char*> prefixes) {
    for (const char* p : prefixes)
      if (cmd == p || starts_with(cmd, std::string(p) + " ")) return true;
    return false;
  };
  if (is({"npm ci", "npm install", "npm i"})) r.family = "npm";
  else if (is({"yarn", "yarn install"})) r.family = "yarn";
  else if (is({"pnpm install", "pnpm i"})) r.family = "pnpm";
  else if (is({"go mod download"})) r.family = "go";
  else if (is({"dotnet restore"})) r.family = "dotnet";
  else if (is({"bundle install"})) r.family = "bundle";
  else if (is({"composer install"})) r.family = "composer";
  else if (is({"pip install", "pip3 install", "python -m pip install", "python3 -m pip install"})) r.family = "pip";
  else return std::nullopt;
  if (r.family == "npm" || r.family == "yarn" || r.family == "pnpm") {
    if (!has_file(in, "package.json")) return std::nullopt;
    bool npm_lock = has_file(in, "package-lock.json") || has_file(in, "npm-shrinkwrap.json");
    if (npm_lock) r.manifests = {"package*.json"};
    else r.manifests = {"package.json"};
    for (const char* l : {"yarn.lock", "pnpm-lock.yaml"})
      if (has_file(in, l)) r.manifests.push_back(l);
    r.lock = npm_lock || has_file(in, "yarn.lock") || has_file(in, "pnpm-lock.yaml");
  } else if (r.family == "go") {
    if (!has_file(in, "go.mod")) return std::nullopt;
    r.manifests = {"go.mod"};
    if (has_file(in, "go.sum")) r.manifests.push_back("go.sum");
  } else if (r.family == "dotnet") {
    bool any = false;
    for (const auto& f : in.files) any |= f.path.find('/') == std::string::npos && ends_with(f.path, ".csproj");
    if (!any) return std::nullopt;
    r.manifests = {"*.csproj"};
  } else if (r.family == "bundle") {
    if (!has_file(in, "Gemfile")) return std::nullopt;
    r.manifests = {"Gemfile"};
    if (has_file(in, "Gemfile.lock")) r.manifests.push_back("Gemfile.lock");
  } else if (r.family == "composer") {
    if (!has_file(in, "composer.json")) return std::nullopt;
    r.manifests = {"composer.json"};
    if (has_file(in, "composer.lock")) r.manifests.push_back("composer.lock");
  } else {  // pip: only `-r FILE`
    auto p = cmd.find(" -r ");
    if (p == std::string::npos) return std::nullopt;
    std::string file = trim(cmd.substr(p + 4));
    file = file.substr(0, file.find(' '));
    if (file.empty() || !has_file(in, file)) return std::nullopt;
    r.manifests = {file};
  }
  return r;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string dir_dest(std::string d) {
  if (d.empty() || d == ".") return "./";
  if (d.back() != '/') d += '/';
  return d;
}

bool copies_whole_context(const ins::Instruction& i) {
  if (i.keyword != syntax::Keyword::Copy) return false;
  const ins::Copy* c = i.as<ins::Copy>();
  return c && !c->from && c->sources.size() == 1 && (c->sources[0].text == "." || c->sources[0].text == "./");
}

// ---- smaller-base --------------------------------------------------------------------------

void smaller_base(const WorkspaceInput& in, const sim::BuildResult& b, const catalog::Catalog& cat,
                  std::vector<WhatIf>& out) {
  if (b.target >= b.analysis->program.stages.size()) return;
  const ins::Stage& st = b.analysis->program.stages[b.target];
  const ins::From& from = st.base();
  if (from.image.text.find('$') != std::string::npos) return;
  const catalog::Image* img = cat.find(from.image.text);
  if (!img) return;
  bool runs = false;
  for (const auto& c : st.commands) runs |= c.keyword == syntax::Keyword::Run;
  std::vector<std::string> candidates;
  if (!runs && img->role == catalog::Role::Sdk) candidates = img->runtime_images;
  for (const auto& s : img->slimmer)
    if (std::find(candidates.begin(), candidates.end(), s) == candidates.end()) candidates.push_back(s);
  size_t offered = 0;
  for (const auto& c : candidates) {
    const catalog::Image* ci = cat.find(c);
    if (!ci || ci->uncompressed_size >= img->uncompressed_size || offered == 3) continue;
    ++offered;
    WhatIf w;
    w.kind = "smaller-base";
    w.id = "smaller-base:" + c;
    w.title = fmt::format("Final base {} {} {}", from.image.text, kArrow, c);
    w.description = fmt::format(
        "The final stage starts from {} ({}); the catalog lists {} ({}) as a smaller image for the same job{}.",
        from.image.text, catalog::role_name(img->role), c, catalog::role_name(ci->role),
        ci->os != img->os ? fmt::format(" (on {} instead of {})", ci->os, img->os) : std::string());
    w.line = st.from.line();
    w.variant = in;
    w.variant.dockerfile = apply_edits(b.analysis->text, {{from.image.range.begin.offset, from.image.range.end.offset, c}});
    out.push_back(std::move(w));
  }
}

// ---- manifest-first ------------------------------------------------------------------------

void manifest_first(const WorkspaceInput& in, const sim::BuildResult& b, std::vector<WhatIf>& out) {
  for (size_t s = 0; s < b.analysis->program.stages.size(); ++s) {
    if (s < b.stages.size() && !b.stages[s].built) continue;
    const auto& cmds = b.analysis->program.stages[s].commands;
    for (size_t i = 0; i + 1 < cmds.size(); ++i) {
      if (!copies_whole_context(cmds[i]) || cmds[i + 1].keyword != syntax::Keyword::Run) continue;
      auto inst = install_of(run_command(cmds[i + 1]), in);
      if (!inst) continue;
      const ins::Copy& copy = *cmds[i].as<ins::Copy>();
      std::string flags;
      if (cmds[i].node)
        for (const auto& f : cmds[i].node->flags) flags += f.text + " ";
      std::string manifest_copy = "COPY " + flags + join(inst->manifests, " ") + " " + dir_dest(copy.dest.text);
      std::string run_text = instruction_text(b.analysis->text, cmds[i + 1]);
      size_t copy_at = line_start(b.analysis->text, cmds[i].range().begin.offset);
      size_t run_begin = line_start(b.analysis->text, cmds[i + 1].range().begin.offset);
      size_t run_end = line_after(b.analysis->text, cmds[i + 1].range().end.offset);
      WhatIf w;
      w.kind = "manifest-first";
      const std::string label = s < b.stages.size() ? b.stages[s].label : std::to_string(s);
      w.id = "manifest-first:" + label;
      std::string install = trim(run_command(cmds[i + 1]).substr(0, 40));
      w.title = fmt::format("Copy {} and run `{}` before `COPY . {}`", join(inst->manifests, " "), install, copy.dest.text);
      w.description = fmt::format(
          "`COPY . {}` comes before the dependency install, so any change to any file re-runs `{}`. "
          "Copying only {} first keeps the install cached until the dependencies change.",
          copy.dest.text, install, join(inst->manifests, " "));
      w.line = cmds[i].line();
      w.variant = in;
      w.variant.dockerfile =
          apply_edits(b.analysis->text, {{copy_at, copy_at, manifest_copy + "\n" + run_text + "\n"}, {run_begin, run_end, ""}});
      out.push_back(std::move(w));
    }
  }
}

// ---- builder-stage -------------------------------------------------------------------------

bool cache_path(std::string_view p) {
  for (const char* pre : {"/root/", "/tmp/", "/tmp", "/var/", "/home/", "/usr/", "/etc/", "/run/"})
    if (p == pre || starts_with(p, pre)) return true;
  return p.find("/.cache") != std::string_view::npos || p.find("/node_modules") != std::string_view::npos ||
         p.find("/.npm") != std::string_view::npos;
}

std::string parent_of(std::string_view p) {
  auto s = p.rfind('/');
  if (s == std::string_view::npos || s == 0) return "/";
  return std::string(p.substr(0, s));
}

bool stage_name_used(const sim::BuildResult& b, std::string_view name) {
  for (const auto& s : b.stages)
    if (s.name == name) return true;
  return false;
}

void builder_stage(const WorkspaceInput& in, const sim::BuildResult& b, const catalog::Catalog& cat,
                   std::vector<WhatIf>& out) {
  if (b.target >= b.stages.size() || b.target >= b.analysis->program.stages.size()) return;
  const sim::StageResult& t = b.stages[b.target];
  if (!t.depends_on.empty()) return;  // already copies from another stage
  const ins::Stage& st = b.analysis->program.stages[b.target];
  // The build step: the last RUN of the stage that adds files and is no dependency install.
  size_t layer = 0;  // 1-based in b.layers
  const sim::Step* build_step = nullptr;
  for (auto it = t.steps.rbegin(); it != t.steps.rend() && !build_step; ++it) {
    const sim::Step& s = b.steps[*it];
    if (s.kind != sim::StepKind::Run || s.layer_bytes == 0 || !s.instruction) continue;
    if (install_of(run_command(*s.instruction), in)) continue;
    for (size_t k = 0; k < b.layers.size(); ++k)
      if (b.layers[k].step == s.id) layer = k + 1;
    if (layer) build_step = &s;
  }
  if (!build_step) return;
  std::set<std::string> paths;
  for (const auto& f : b.files)
    if (f.layer == layer) paths.insert(f.path);
  std::set<std::string> roots;
  for (const auto& p : paths)
    if (!paths.count(parent_of(p)) && !cache_path(p)) roots.insert(p);
  if (roots.size() > 4) {  // many new files in one directory: copy the directory
    std::set<std::string> parents;
    for (const auto& r : roots) parents.insert(parent_of(r));
    roots = parents;
  }
  if (roots.empty() || roots.size() > 4 || roots.count("/")) return;

  const ins::From& from = st.base();
  std::string base_ref = from.image.text;
  const catalog::Image* img = cat.find(base_ref.find('$') == std::string::npos ? base_ref : t.base);
  std::string runtime = base_ref;
  if (img && !img->runtime_images.empty()) runtime = img->runtime_images.front();
  else if (img && !img->slimmer.empty()) runtime = img->slimmer.front();

  std::string builder = t.name;
  std::vector<Edit> edits;
  if (builder.empty()) {
    builder = stage_name_used(b, "builder") ? "build" : "builder";
    edits.push_back({from.image.range.end.offset, from.image.range.end.offset, " AS " + builder});
  }
  std::string final_name = stage_name_used(b, "production") ? "runtime" : "production";

  std::string text = "\n# Only the build output ships: the toolchain and the sources stay in the " + builder + " stage\n";
  text += "FROM " + runtime + " AS " + final_name + "\n";
  const std::string& wd = b.config.workdir;
  if (!wd.empty() && wd != "/") text += "WORKDIR " + wd + "\n";
  // Production dependencies for npm-family installs in the stage.
  for (const auto& c : st.commands) {
    if (c.keyword != syntax::Keyword::Run) continue;
    auto inst = install_of(run_command(c), in);
    if (!inst || (inst->family != "npm" && inst->family != "yarn" && inst->family != "pnpm")) continue;
    text += "COPY " + join(inst->manifests, " ") + " " + dir_dest(wd.empty() ? "/" : "./") + "\n";
    if (inst->family == "npm") text += inst->lock ? "RUN npm ci --omit=dev\n" : "RUN npm install --omit=dev\n";
    else if (inst->family == "yarn") text += "RUN yarn install --production\n";
    else text += "RUN pnpm install --prod\n";
    break;
  }
  for (const auto& r : roots) text += "COPY --from=" + builder + " " + r + " " + r + "\n";
  for (const auto& c : st.commands) {
    using K = syntax::Keyword;
    switch (c.keyword) {
      case K::Env: case K::Expose: case K::User: case K::Cmd: case K::Entrypoint: case K::Label:
      case K::Healthcheck: case K::Stopsignal: case K::Volume:
        text += instruction_text(b.analysis->text, c) + "\n";
        break;
      default: break;
    }
  }
  std::string df = apply_edits(b.analysis->text, std::move(edits));
  if (!df.empty() && df.back() != '\n') df += '\n';
  df += text;

  WhatIf w;
  w.kind = "builder-stage";
  w.id = "builder-stage";
  std::vector<std::string> rl(roots.begin(), roots.end());
  w.title = fmt::format("Ship only {} from a {} stage", join(rl, ", "), builder);
  w.description = fmt::format(
      "The image ships everything the build needed ({} with its tools, the sources, every dependency). A final "
      "stage on {} that copies only what `{}` produced leaves them behind.",
      t.base, runtime, trim(first_line_of(build_step->text)));
  w.line = build_step->line;
  w.variant = in;
  w.variant.dockerfile = std::move(df);
  if (!w.variant.options.target.empty()) w.variant.options.target = final_name;
  out.push_back(std::move(w));
}

// ---- dockerignore ---------------------------------------------------------------------------

void dockerignore(const WorkspaceInput& in, std::vector<WhatIf>& out) {
  if (has_file(in, ".dockerignore") || has_file(in, in.dockerfile_path + ".dockerignore")) return;
  bool csproj = false, cargo = false;
  std::set<std::string> tops;
  bool logs = false;
  for (const auto& f : in.files) {
    std::string top = f.path.substr(0, f.path.find('/'));
    tops.insert(top);
    if (f.path.find('/') == std::string::npos) {
      csproj |= ends_with(f.path, ".csproj");
      cargo |= f.path == "Cargo.toml" || f.path == "pom.xml";
      logs |= ends_with(f.path, ".log");
    }
  }
  std::vector<std::string> lines;
  for (const char* d : {".git", "node_modules", "dist", "build", "coverage", ".next", ".venv", "venv", "__pycache__",
                        ".pytest_cache", ".idea", ".vscode", ".env", ".DS_Store"})
    if (tops.count(d)) lines.push_back(d);
  if (csproj)
    for (const char* d : {"bin", "obj"})
      if (tops.count(d)) lines.push_back(d);
  if (cargo && tops.count("target")) lines.push_back("target");
  if (logs) lines.push_back("*.log");
  if (lines.empty()) return;
  std::vector<std::string> shown = lines;
  lines.push_back(in.dockerfile_path == "Dockerfile" ? "Dockerfile" : in.dockerfile_path);
  lines.push_back(".dockerignore");
  WhatIf w;
  w.kind = "dockerignore";
  w.id = "dockerignore";
  w.title = "Add a .dockerignore (" + join(shown, ", ") + ")";
  w.description = "Without a .dockerignore the whole folder is sent as the build context and `COPY . .` copies it "
                  "into the image, so any change to these files also re-runs every step after the copy.";
  w.variant = in;
  std::string content = "# The usual suspects: never part of the image, and they change often\n";
  for (const auto& l : lines) content += l + "\n";
  w.variant.files.push_back(WorkspaceFile{".dockerignore", content, 0644, std::nullopt});
  out.push_back(std::move(w));
}

// ---- build-arg -----------------------------------------------------------------------------

// The position of `$NAME` or `${NAME}` in `word` ({begin, end}), or npos.
std::pair<size_t, size_t> var_ref(std::string_view word, std::string_view name) {
  for (size_t i = 0; (i = word.find('$', i)) != std::string_view::npos; ++i) {
    if (i + 2 + name.size() < word.size() && word[i + 1] == '{' && word.substr(i + 2, name.size()) == name &&
        word[i + 2 + name.size()] == '}')
      return {i, i + name.size() + 3};
    if (word.substr(i + 1, name.size()) == name) {
      size_t e = i + 1 + name.size();
      if (e == word.size() || !(std::isalnum(static_cast<unsigned char>(word[e])) || word[e] == '_')) return {i, e};
    }
  }
  return {std::string_view::npos, std::string_view::npos};
}

void build_arg(const WorkspaceInput& in, const sim::BuildResult& b, const catalog::Catalog& cat, std::vector<WhatIf>& out) {
  for (const auto& meta : b.analysis->program.meta_args) {
    const ins::Arg* arg = meta.as<ins::Arg>();
    if (!arg) continue;
    for (const auto& kv : arg->pairs) {
      const std::string& name = kv.key.text;
      std::string current = kv.has_value ? kv.value.text : "";
      for (const auto& [k, v] : in.options.build_args)
        if (k == name) current = v;
      if (current.empty() || current.find('$') != std::string::npos) continue;
      for (size_t s = 0; s < b.analysis->program.stages.size(); ++s) {
        const std::string& word = b.analysis->program.stages[s].base().image.text;
        auto [vb, ve] = var_ref(word, name);
        if (vb == std::string::npos) continue;
        auto colon = word.rfind(':');
        if (colon == std::string::npos || colon > vb || word.find('@') != std::string::npos) break;
        std::string repo = word.substr(0, colon);
        if (repo.find('$') != std::string::npos) break;
        std::string prefix = word.substr(colon + 1, vb - colon - 1), suffix = word.substr(ve);
        if (prefix.find('$') != std::string::npos || suffix.find('$') != std::string::npos) break;
        auto ref = catalog::parse_reference(repo + ":x");
        if (!ref) break;
        std::set<std::string> values;
        for (const auto& c : cat.in_repository(ref->name())) {
          const std::string& tag = c.tag;
          if (c.image->ref.tag != tag) continue;  // aliases (node:iron) name the same images
          if (tag.size() <= prefix.size() + suffix.size() || !starts_with(tag, prefix) || !ends_with(tag, suffix)) continue;
          std::string v = tag.substr(prefix.size(), tag.size() - prefix.size() - suffix.size());
          if (v != current && v.find_first_of(":@/$ ") == std::string::npos) values.insert(v);
        }
        size_t offered = 0;
        for (auto it = values.rbegin(); it != values.rend() && offered < 2; ++it, ++offered) {
          WhatIf w;
          w.kind = "build-arg";
          w.id = "build-arg:" + name + "=" + *it;
          w.title = fmt::format("Build arg {}={} (now {})", name, *it, current);
          w.description = fmt::format("`{}` picks the base of stage {}: {} becomes {}{}{}{}.", name,
                                      s < b.stages.size() ? b.stages[s].label : std::to_string(s), word, repo + ":",
                                      prefix, *it, suffix);
          w.line = meta.line();
          w.variant = in;
          bool set = false;
          for (auto& [k, v] : w.variant.options.build_args)
            if (k == name) v = *it, set = true;
          if (!set) w.variant.options.build_args.emplace_back(name, *it);
          out.push_back(std::move(w));
        }
        break;  // the first FROM that uses the ARG
      }
    }
  }
}

bool is_manifest(std::string_view name) {
  for (const char* m : {"package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                        "go.mod", "go.sum", "Gemfile", "Gemfile.lock", "composer.json", "composer.lock", "Cargo.toml",
                        "Cargo.lock", "pyproject.toml", "poetry.lock", "Pipfile", "Pipfile.lock", "tsconfig.json"})
    if (name == m) return true;
  return ends_with(name, ".csproj") || (starts_with(name, "requirements") && ends_with(name, ".txt"));
}

}  // namespace

std::string edit_probe_file(const WorkspaceInput& in) {
  std::string other;
  for (const auto& f : in.files) {
    std::string_view name = f.path;
    if (auto s = name.rfind('/'); s != std::string_view::npos) name = name.substr(s + 1);
    if (f.path == in.dockerfile_path || name.empty() || name[0] == '.' || is_manifest(name) || starts_with(name, "README") ||
        ends_with(name, ".md") || ends_with(name, ".dockerignore") || starts_with(name, "Dockerfile") ||
        name.find(".test.") != std::string_view::npos || name.find(".spec.") != std::string_view::npos ||
        name.find("_test.") != std::string_view::npos)
      continue;
    if (starts_with(f.path, "src/")) return f.path;
    if (other.empty()) other = f.path;
  }
  return other;
}

std::vector<WhatIf> what_ifs(const WorkspaceInput& in, const sim::BuildResult& b, const catalog::Catalog* cat) {
  const catalog::Catalog& c = cat ? *cat : catalog::Catalog::builtin();
  std::vector<WhatIf> out;
  if (b.target >= b.stages.size()) return out;
  smaller_base(in, b, c, out);
  manifest_first(in, b, out);
  builder_stage(in, b, c, out);
  dockerignore(in, out);
  build_arg(in, b, c, out);
  return out;
}

std::vector<WhatIf> ready_what_ifs(const WorkspaceInput& in) {
  WhatIfJob job(in);
  job.finish();
  return job.take();
}

nlohmann::json input_json(const WorkspaceInput& in) {
  using nlohmann::json;
  json files = json::object();
  for (const auto& f : in.files) files[f.path] = f.size ? json{{"size", *f.size}} : json(f.content);  // size only: a stand-in
  json args = json::object();
  for (const auto& [k, v] : in.options.build_args) args[k] = v;
  json opts{{"target", in.options.target},   {"platform", in.options.platform}, {"build_args", std::move(args)},
            {"no_cache", in.options.no_cache}, {"network", in.options.network}};
  return json{{"dockerfile", in.dockerfile},
              {"dockerfile_path", in.dockerfile_path},
              {"files", std::move(files)},
              {"options", std::move(opts)}};
}

nlohmann::json what_ifs_json(const std::vector<WhatIf>& list, bool with_variant) {
  using nlohmann::json;
  json out = json::array();
  for (const auto& w : list) {
    const Effect& e = w.effect;
    json j{{"id", w.id}, {"kind", w.kind}, {"title", w.title}, {"description", w.description},
           {"line", w.line}};
    if (e.evaluated) {
      json eff{{"ok", e.ok},
               {"size_delta_bytes", e.size_delta},
               {"compressed_delta_bytes", e.compressed_delta},
               {"context_delta_bytes", e.context_delta},
               {"build_time_delta_s", e.time_delta},
               {"size_bytes", e.b_size},
               {"cold_seconds", e.b_cold_seconds},
               {"cache", json{{"cached", e.cached}, {"run", e.run}, {"seconds", e.rebuild_seconds}}},
               {"findings", json{{"fixed", e.fixed}, {"introduced", e.introduced}}},
               {"files", json{{"added", e.files_added}, {"removed", e.files_removed}, {"changed", e.files_changed}}},
               {"estimated", true}};
      if (!e.edited_file.empty())
        eff["source_edit"] = json{{"path", e.edited_file}, {"a_seconds", e.a_edit_seconds}, {"b_seconds", e.b_edit_seconds}};
      else
        eff["source_edit"] = nullptr;
      j["effect"] = std::move(eff);
    } else {
      j["effect"] = nullptr;
    }
    if (with_variant) j["variant"] = input_json(w.variant);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace dfplay::compare
