// Node.js compilers and bundlers: tsc, esbuild, vite, webpack, rollup, next build and the like
// (the package managers are in node.cpp).
#include <algorithm>

#include "sim/effects/internal.h"

namespace dfplay::sim::detail {
namespace {

// ---- compilers and bundlers ----

bool is_ts_source(std::string_view p) {
  auto ends = [&](std::string_view e) { return p.size() > e.size() && p.substr(p.size() - e.size()) == e; };
  if (ends(".d.ts") || ends(".d.mts") || ends(".d.cts")) return false;
  return ends(".ts") || ends(".tsx") || ends(".mts") || ends(".cts");
}

bool is_code(std::string_view p) {
  static constexpr std::string_view kExt[] = {".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".vue", ".svelte",
                                              ".css", ".scss", ".sass", ".less", ".html", ".json", ".astro", ".mdx"};
  for (auto e : kExt)
    if (p.size() > e.size() && p.substr(p.size() - e.size()) == e) return true;
  return false;
}

// Directories and files that never feed a build's output.
bool ignored_for_build(std::string_view rel) {
  std::string_view first = rel.substr(0, rel.find('/'));
  if (first == "node_modules" || first == ".git" || first == "dist" || first == "build" || first == ".next" ||
      first == "coverage" || first == "out" || first == ".output" || first == ".svelte-kit" || first == ".cache" ||
      first == ".turbo" || first == ".github" || first == ".vscode" || first == ".idea")
    return true;
  std::string_view b = base_name(rel);
  auto ends = [&](std::string_view e) { return b.size() >= e.size() && b.substr(b.size() - e.size()) == e; };
  if (ends(".md") || b == "LICENSE" || b == "Dockerfile" || b == ".dockerignore" || b.rfind("Dockerfile.", 0) == 0 ||
      b == ".gitignore" || ends(".log") || b == "docker-compose.yml" || b == "compose.yaml" || b == "compose.yml")
    return true;
  // Server and deployment configuration (nginx.conf, Caddyfile...) and editor/lint settings: a
  // bundler never reads them, so editing them leaves the build output identical.
  if (ends(".conf") || b == "Caddyfile" || b == "Procfile" || b == ".editorconfig" || b == ".nvmrc" ||
      b.rfind(".prettierrc", 0) == 0 || b == ".prettierignore" || b == ".eslintignore")
    return true;
  return false;
}

// Matches a tsconfig include/exclude entry against a path relative to the project.
bool ts_pattern_match(std::string_view pattern, std::string_view rel) {
  std::string pat(pattern);
  if (pat.rfind("./", 0) == 0) pat = pat.substr(2);
  while (!pat.empty() && pat.back() == '/') pat.pop_back();
  if (pat.empty() || pat == "**" || pat == "**/*") return true;
  // The literal directory prefix before the first wildcard segment.
  size_t star = pat.find_first_of("*?");
  if (star == std::string::npos) {
    // A directory or a file.
    return rel == pat || (rel.size() > pat.size() && rel.compare(0, pat.size(), pat) == 0 && rel[pat.size()] == '/');
  }
  std::string prefix = pat.substr(0, pat.rfind('/', star) == std::string::npos ? 0 : pat.rfind('/', star));
  if (!prefix.empty() && !(rel.size() > prefix.size() && rel.compare(0, prefix.size(), prefix) == 0 && rel[prefix.size()] == '/'))
    return false;
  // The last segment (e.g. "*.ts") against the file name.
  std::string_view last = std::string_view(pat).substr(pat.rfind('/') == std::string::npos ? 0 : pat.rfind('/') + 1);
  if (last == "*" || last == "**") return true;
  return sh::glob_match(last, base_name(rel));
}

std::string common_dir(const std::vector<std::string>& files) {
  if (files.empty()) return "/";
  std::string common(parent_path(files[0]));
  for (const auto& f : files)
    while (!is_within(f, common)) common = std::string(parent_path(common));
  return common;
}

struct TsRun {
  std::string project;  // directory of the tsconfig
  std::string config;   // tsconfig path ("" if none)
  std::string out_dir, root_dir;
  bool declaration = false, source_map = false, no_emit = false;
};

// The tsconfig.json a tsc run reads: -p FILE or DIR, -b [DIR], else DEFAULT (or tsconfig.json) in
// the working directory when no file is named; "" when files are named on the command line.
std::string tsc_config_path(Ctx& c, const Args& a, std::string_view default_config) {
  std::string config_path;
  if (auto p = a.value("-p", "--project")) {
    std::string abs = c.abs(*p);
    if (c.fs.is_dir(abs)) config_path = clean_abs("tsconfig.json", abs);
    else config_path = abs;
  } else if (a.has("-b") || a.has("--build")) {
    std::string target = a.positional.empty() ? c.cwd : c.abs(a.positional[0]);
    config_path = c.fs.is_dir(target) ? clean_abs("tsconfig.json", target) : target;
  } else if (a.positional.empty()) {
    config_path = clean_abs(default_config, c.cwd);
    if (!c.fs.exists(config_path) && default_config != "tsconfig.json") config_path = clean_abs("tsconfig.json", c.cwd);
  }
  return config_path;
}

// The inputs of a project (tsconfig's files, or the sources under the project matching include and
// not exclude, outside node_modules and the output directory); declaration files count in
// `sources_key` only.
void tsc_project_inputs(Ctx& c, const TsConfig* cfg, const std::string& project, const std::string& out_abs,
                        std::vector<std::string>& inputs, uint64_t& sources_key, uint64_t& src_bytes) {
  std::vector<std::string> include = cfg && !cfg->include.empty() ? cfg->include : std::vector<std::string>{};
  std::vector<std::string> exclude = cfg ? cfg->exclude : std::vector<std::string>{};
  bool files_only = cfg && !cfg->files.empty() && cfg->include.empty();
  if (files_only) {
    for (const auto& f : cfg->files) {
      std::string abs = clean_abs(f, project);
      if (const FileNode* n = c.fs.find(abs)) {
        inputs.push_back(abs);
        sources_key = hash_combine(sources_key, hash_combine(n->hash, relative_to(abs, project)));
        src_bytes += n->size;
      }
    }
  } else {
    c.fs.for_each_under(project, [&](const std::string& p, const FileNode& n) {
      if (!n.is_file() && !n.is_symlink()) return;
      std::string_view rel = relative_to(p, project);
      // Declaration files are inputs (they affect type checking) but produce nothing.
      bool decl = rel.size() > 5 && (rel.substr(rel.size() - 5) == ".d.ts");
      if (!is_ts_source(rel) && !decl) return;
      std::string_view first = rel.substr(0, rel.find('/'));
      if (first == "node_modules" || first == "bower_components" || first == "jspm_packages") return;
      if (!out_abs.empty() && is_within(p, out_abs)) return;
      if (!include.empty()) {
        bool in = false;
        for (const auto& i : include) in = in || ts_pattern_match(i, rel);
        if (!in) return;
      }
      for (const auto& e : exclude)
        if (ts_pattern_match(e, rel)) return;
      sources_key = hash_combine(sources_key, hash_combine(n.hash, rel));
      if (!decl) {
        inputs.push_back(p);
        src_bytes += n.size;
      }
    });
  }
}

// One .js (and .d.ts, .map) per input under the output directory; the bytes written, or nullopt
// after an input outside rootDir (TS6059).
std::optional<uint64_t> emit_tsc_outputs(Ctx& c, std::string_view tool, const TsRun& r,
                                         const std::vector<std::string>& inputs, const std::string& root,
                                         const std::string& out_abs, uint64_t key) {
  uint64_t out_bytes = 0;
  for (const auto& in : inputs) {
    if (!is_within(in, root)) {
      c.fail(fmt::format("{}: file '{}' is not under rootDir '{}' (TS6059)", tool, in, root));
      return std::nullopt;
    }
    std::string rel(relative_to(in, root));
    size_t dot = rel.rfind('.');
    std::string ext = rel.substr(dot);
    std::string stem = rel.substr(0, dot);
    std::string js_ext = ext == ".mts" ? ".mjs" : ext == ".cts" ? ".cjs" : ".js";
    std::string out_base = out_abs.empty() ? clean_abs(stem, root) : clean_abs(stem, out_abs);
    const FileNode* src = c.fs.find(in);
    uint64_t size = src ? src->size : 0;
    auto emit = [&](const std::string& path, double ratio, const char* what) {
      FileNode n;
      n.size = mb(static_cast<double>(size) * ratio);
      n.layer = c.layer;
      n.uid = c.user.uid;
      n.gid = c.user.gid;
      n.hash = hash_combine(hash_combine(key, src ? src->hash : 0), path);
      n.estimated = true;
      n.source = what;
      out_bytes += n.size;
      c.fs.put(path, std::move(n));
    };
    emit(out_base + js_ext, 0.9, "tsc output: dfplay estimate, 90% of the source");
    if (r.declaration)
      emit(out_base + (ext == ".mts" ? ".d.mts" : ext == ".cts" ? ".d.cts" : ".d.ts"), 0.3,
           "tsc declarations: dfplay estimate, 30% of the source");
    if (r.source_map) emit(out_base + js_ext + ".map", 0.6, "tsc source map: dfplay estimate, 60% of the source");
  }
  return out_bytes;
}

int run_tsc(Ctx& c, Inv& inv, std::string_view tool, std::string_view default_config) {
  Args a = parse_args(inv, {"-p", "--project", "--outDir", "--rootDir", "--target", "--module", "--lib", "--jsx",
                            "--moduleResolution", "--declarationDir", "--tsBuildInfoFile"},
                      1);
  if (a.has("-v") || a.has("--version") || a.has("-h") || a.has("--help")) {
    c.recognise(std::string(tool), "prints information (no change)");
    return 0;
  }
  TsRun r;
  std::string project = c.cwd;
  std::string config_path = tsc_config_path(c, a, default_config);
  std::vector<std::string> inputs;
  // `key`: what every output depends on (compiler, configuration, options); `sources_key`: the
  // inputs. The step's output key is both; each emitted file's identity is `key` + its own source
  // (editing one .ts changes only its own .js, .d.ts and .map).
  uint64_t key = content_hash(tool), sources_key = 0;
  std::shared_ptr<const TsConfig> cfg;
  if (!config_path.empty()) {
    const FileNode* cn = c.fs.find(config_path);
    if (!cn) {
      if (a.positional.empty() && !a.value("-p", "--project")) {
        c.fail(fmt::format("{}: no tsconfig.json in {} (tsc prints its help and exits 1)", tool, c.cwd));
        return 1;
      }
      c.fail(fmt::format("{}: cannot find a tsconfig.json at '{}'", tool, config_path));
      return 1;
    }
    key = hash_combine(key, cn->hash);
    project = std::string(parent_path(config_path));
    cfg = parse_tsconfig(*cn);
    if (!cfg->valid && cn->content) {
      c.fail(fmt::format("{}: {} is not valid JSON", tool, config_path));
      return 1;
    }
    if (!cfg->extends.empty()) {
      // The base config's options are not merged; its content is part of the key.
      std::string base = cfg->extends;
      if (base.rfind('.', 0) == 0 || base.rfind('/', 0) == 0) {
        if (base.size() < 5 || base.substr(base.size() - 5) != ".json") base += ".json";
        if (const FileNode* bn = c.fs.find(clean_abs(base, project))) {
          key = hash_combine(key, bn->hash);
          auto bc = parse_tsconfig(*bn);
          if (cfg->out_dir.empty() && bc->valid) r.out_dir = bc->out_dir;
        }
      }
    }
    r.config = config_path;
    if (!cfg->out_dir.empty()) r.out_dir = cfg->out_dir;
    r.root_dir = cfg->root_dir;
    r.declaration = cfg->declaration || cfg->composite;
    r.source_map = cfg->source_map;
    r.no_emit = cfg->no_emit;
  }
  if (auto v = a.value("--outDir")) r.out_dir = std::string(*v);
  if (auto v = a.value("--rootDir")) r.root_dir = std::string(*v);
  if (a.has("--noEmit")) r.no_emit = true;
  if (a.has("--declaration") || a.has("-d")) r.declaration = true;
  if (a.has("--sourceMap")) r.source_map = true;
  std::string out_abs = r.out_dir.empty() ? std::string() : clean_abs(r.out_dir, project);

  // Inputs.
  uint64_t src_bytes = 0;
  if (config_path.empty()) {
    for (auto p : a.positional) {
      std::string abs = c.abs(p);
      if (const FileNode* f = c.fs.find(abs)) {
        inputs.push_back(abs);
        key = hash_combine(key, hash_combine(f->hash, abs));
        src_bytes += f->size;
      } else {
        c.fail(fmt::format("{}: file '{}' not found", tool, p));
        return 1;
      }
    }
  } else {
    tsc_project_inputs(c, cfg.get(), project, out_abs, inputs, sources_key, src_bytes);
  }
  // The compiler itself: its node_modules identity.
  for (std::string d = project;; d = std::string(parent_path(d))) {
    if (const FileNode* nm = c.fs.find(clean_abs("node_modules", d))) {
      key = hash_combine(key, nm->summary ? nm->hash : content_hash("node_modules"));
      break;
    }
    if (d == "/") break;
  }
  key = hash_combine(key, fmt::format("{}|{}|{}|{}|{}", r.out_dir, r.root_dir, r.declaration, r.source_map, r.no_emit));
  c.key(hash_combine(key, sources_key));
  size_t n_inputs = inputs.size();
  double secs = fig::js_build_fixed_s.value + 0.02 * static_cast<double>(n_inputs) +
                static_cast<double>(src_bytes) / 2e6;
  c.time(secs);
  if (n_inputs == 0) {
    c.fail(fmt::format("{}: no inputs were found in config file '{}' (TS18003)", tool, config_path));
    return 2;
  }
  if (r.no_emit) {
    c.recognise(std::string(tool), fmt::format("type-checks {} file(s) (noEmit: no output)", n_inputs));
    return 0;
  }
  std::string root = r.root_dir.empty() ? common_dir(inputs) : clean_abs(r.root_dir, project);
  const std::optional<uint64_t> emitted = emit_tsc_outputs(c, tool, r, inputs, root, out_abs, key);
  if (!emitted) return 2;
  const uint64_t out_bytes = *emitted;
  c.eff.estimated = true;
  c.recognise(std::string(tool), fmt::format("compiles {} TypeScript file(s) ({}) -> {} ({} estimated)", n_inputs,
                                             human_size(src_bytes), out_abs.empty() ? root : out_abs,
                                             human_size(out_bytes)),
              "output sizes: dfplay estimate from the sources");
  return 0;
}

int n_tsc(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  if (!require_bin(c, "tsc")) return 127;
  return run_tsc(c, inv, "tsc", "tsconfig.json");
}

struct Bundler {
  std::string_view bin, package, build_word, out_default;
  std::string_view out_flags[3];
  bool next = false;
};
constexpr Bundler kBundlers[] = {
    {"vite", "vite", "build", "dist", {"--outDir"}},
    {"next", "next", "build", ".next", {}, true},
    {"webpack", "webpack", "", "dist", {"--output-path", "-o"}},
    {"webpack-cli", "webpack-cli", "", "dist", {"--output-path", "-o"}},
    {"react-scripts", "react-scripts", "build", "build", {}},
    {"ng", "@angular/cli", "build", "dist", {"--output-path"}},
    {"rollup", "rollup", "", "dist", {"-d", "--dir", "-o"}},
    {"esbuild", "esbuild", "", "", {"--outdir", "--outfile"}},
    {"babel", "@babel/cli", "", "lib", {"-d", "--out-dir", "-o"}},
    {"tsup", "tsup", "", "dist", {"-d", "--out-dir"}},
    {"parcel", "parcel", "build", "dist", {"--dist-dir"}},
    {"astro", "astro", "build", "dist", {}},
    {"nuxt", "nuxt", "build", ".output", {}},
    {"nuxi", "nuxt", "build", ".output", {}},
    {"svelte-kit", "@sveltejs/kit", "build", "build", {}},
    {"gatsby", "gatsby", "build", "public", {}},
    {"vue-cli-service", "@vue/cli-service", "build", "dist", {"--dest"}},
    {"remix", "@remix-run/dev", "build", "build", {}},
};

int n_bundler(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  const Bundler* b = nullptr;
  for (const auto& x : kBundlers)
    if (x.bin == inv.name) b = &x;
  if (!b) return 0;
  Args a = parse_args(inv, {"--outDir", "--output-path", "-o", "-d", "--dir", "--out-dir", "--dist-dir", "--dest",
                            "--mode", "-c", "--config", "--base", "--configuration", "--outdir", "--outfile", "--format",
                            "--platform", "--target"},
                      1);
  if (!b->build_word.empty()) {
    std::string_view sub = a.positional.empty() ? "" : a.positional[0];
    if (sub != b->build_word && !(b->next && sub == "export")) {
      if (sub == "dev" || sub == "start" || sub == "serve" || sub.empty() || sub == "preview") {
        c.note(fmt::format("{} {}: starts a server that never exits; in a RUN the build would hang", b->bin, sub));
        c.recognise(std::string(b->bin) + " " + std::string(sub), "starts a dev server (no output)");
        return 0;
      }
      c.recognise(std::string(b->bin) + " " + std::string(sub), "no output modelled");
      return 0;
    }
  }
  if (!require_bin(c, b->bin)) return 127;
  std::string proj = project_dir(c, c.cwd);
  std::string out(b->out_default);
  bool out_is_file = false;
  for (auto f : b->out_flags) {
    if (f.empty()) continue;
    if (auto v = a.value(f)) {
      out = std::string(*v);
      out_is_file = f == "--outfile" || (f == "-o" && b->bin != "webpack" && b->bin != "webpack-cli");
    }
  }
  if (b->next && !a.positional.empty() && a.positional[0] == "export") out = "out";
  if (b->bin == "ng") {
    if (const FileNode* pj = c.fs.find(clean_abs("package.json", proj)); pj)
      if (auto pkg = parse_package_json(*pj); pkg->valid && !pkg->name.empty() && out == "dist") out = "dist/" + pkg->name;
  }
  if (out.empty()) {
    c.unknown(std::string(b->bin), "output location not given");
    return 0;
  }
  std::string out_abs = clean_abs(out, proj);
  // Inputs: the project's files except dependencies, outputs and documentation.
  uint64_t code = 0, assets = 0, key = content_hash(b->bin);
  size_t files = 0;
  c.fs.for_each_under(proj, [&](const std::string& p, const FileNode& n) {
    if (n.is_dir() && !n.summary) return;
    std::string_view rel = relative_to(p, proj);
    if (ignored_for_build(rel) || is_within(p, out_abs)) return;
    key = hash_combine(key, hash_combine(n.hash, rel));
    ++files;
    std::string_view first = rel.substr(0, rel.find('/'));
    if (first == "public" || first == "static" || first == "assets") assets += n.size;
    else if (is_code(rel)) code += n.size;
  });
  for (std::string d = proj;; d = std::string(parent_path(d))) {
    if (const FileNode* nm = c.fs.find(clean_abs("node_modules", d))) {
      key = hash_combine(key, nm->summary ? nm->hash : content_hash("node_modules"));
      break;
    }
    if (d == "/") break;
  }
  key = hash_combine(key, fmt::format("{}", fmt::join(inv.argv, " ")));
  size_t prod_deps = 0;
  if (const FileNode* pj = c.fs.find(clean_abs("package.json", proj)))
    if (auto pkg = parse_package_json(*pj); pkg->valid) prod_deps = pkg->deps.size();
  double size = static_cast<double>(code) * 0.8 + static_cast<double>(assets) +
                static_cast<double>(prod_deps) * fig::web_bundle_per_dep.value;
  std::string src = fmt::format("{} output: dfplay estimate (80% of the code + static assets + {})", b->bin,
                                fig::web_bundle_per_dep.source);
  if (b->next) {
    size += fig::next_build_base.value;
    src += fmt::format("; {}", fig::next_build_base.source);
  }
  c.key(key);
  if (out_is_file) {
    FileNode f;
    f.size = mb(size);
    f.layer = c.layer;
    f.uid = c.user.uid;
    f.gid = c.user.gid;
    f.hash = key;
    f.estimated = true;
    f.source = src;
    c.fs.put(out_abs, std::move(f));
    c.eff.estimated = true;
  } else {
    c.put_summary(out_abs, mb(size), key, src, true);
  }
  c.time(fig::js_build_fixed_s.value + static_cast<double>(code) / 5e5);
  c.recognise(std::string(b->bin) + (b->build_word.empty() ? "" : " " + std::string(b->build_word)),
              fmt::format("bundles {} file(s) ({} of code) -> {} ({} estimated)", files, human_size(code), out_abs,
                          human_size(mb(size))),
              src);
  if (b->next) c.note("next build: with `output: 'standalone'` in next.config, .next/standalone holds a minimal server");
  return 0;
}

int n_nest(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  if (inv.argv.size() < 2 || inv.argv[1] != "build") {
    c.recognise("nest", "no output modelled");
    return 0;
  }
  if (!require_bin(c, "nest")) return 127;
  Inv tsc_inv;
  tsc_inv.argv = {"tsc"};
  tsc_inv.name = "tsc";
  return run_tsc(c, tsc_inv, "nest build", "tsconfig.build.json");
}

int n_prisma(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  std::string_view sub = inv.argv.size() > 1 ? std::string_view(inv.argv[1]) : std::string_view{};
  if (!require_bin(c, "prisma")) return 127;
  if (sub == "generate") {
    std::string proj = project_dir(c, c.cwd);
    uint64_t key = content_hash("prisma generate");
    if (const FileNode* s = c.fs.find(clean_abs("prisma/schema.prisma", proj))) key = hash_combine(key, s->hash);
    c.key(key);
    c.put_summary(clean_abs("node_modules/.prisma/client", proj), mb(15 * fig::kMB), key,
                  "dfplay estimate: generated Prisma client with its query engine (~15 MB)", true);
    c.recognise("prisma generate", "generates the Prisma client into node_modules/.prisma");
    return 0;
  }
  if (sub == "migrate" || sub == "db") {
    c.note("prisma migrate/db needs a database: there is none during docker build");
    c.unknown("prisma " + std::string(sub), "talks to a database");
    return 0;
  }
  c.recognise("prisma " + std::string(sub), "no output modelled");
  return 0;
}

// Tools that check or test code: no output in the image.
int n_checker(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  if (!require_bin(c, inv.name)) return 127;
  c.time(fig::js_build_fixed_s.value);
  c.recognise(std::string(inv.name), "checks or tests code (no output in the image)");
  return 0;
}

}  // namespace

void register_node_compile(Registry& r) {
  r.add("tsc", n_tsc);
  r.add("nest", n_nest);
  r.add("prisma", n_prisma);
  for (const auto& b : kBundlers) r.add(b.bin, n_bundler);
  for (auto n : {"eslint", "jest", "vitest", "mocha", "prettier"}) r.add(n, n_checker);
}

}  // namespace dfplay::sim::detail
