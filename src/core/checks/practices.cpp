// dfplay's stage-aware best practices (docs/checks.md, section 7). They look only at the stages
// built for the target (graph.built), most of them only at the final (target) stage.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "catalog/reference.h"
#include "checks/engine_internal.h"
#include "syntax/ascii.h"
#include "units.h"

namespace dfplay::checks {

namespace {
constexpr std::array<std::string_view, 14> kIds = {
    "RootUser",          "LargeBaseImage",       "CopyWholeStage",  "BuildToolsInFinal",
    "NpmDevDependencies", "NoDockerignore",      "ContextSendsSecrets", "SecretInLayer",
    "CacheUnfriendlyOrder", "UnusedStage",       "UnpinnedBaseImage", "AptListsNotCleaned",
    "AddInsteadOfCopy",  "TrailingComment",
};
}  // namespace

std::span<const std::string_view> best_practice_ids() { return kIds; }

namespace detail {
namespace {

using syntax::Keyword;
constexpr std::string_view kBP = "https://docs.docker.com/build/building/best-practices/";

std::string mb(uint64_t bytes) { return format_bytes(bytes, 0, ByteUnit::MB); }

bool ends_with(std::string_view s, std::string_view x) {
  return s.size() >= x.size() && s.substr(s.size() - x.size()) == x;
}
bool starts_with(std::string_view s, std::string_view x) { return s.substr(0, x.size()) == x; }

std::string_view base_name(std::string_view p) {
  while (!p.empty() && p.back() == '/') p.remove_suffix(1);
  size_t s = p.rfind('/');
  return s == std::string_view::npos ? p : p.substr(s + 1);
}

// A file name that holds credentials.
bool is_secret_name(std::string_view name) {
  std::string n = syntax::ascii_lower(name);
  if (n == ".env") return true;
  if (starts_with(n, ".env.")) {
    for (std::string_view ok : {".example", ".sample", ".template", ".dist", ".defaults"})
      if (ends_with(n, ok)) return false;
    return true;
  }
  for (std::string_view k : {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".npmrc", ".pypirc", ".netrc",
                             "credentials.json", ".git-credentials", ".htpasswd"})
    if (n == k) return true;
  for (std::string_view ext : {".pem", ".key", ".p12", ".pfx", ".jks", ".kdbx"})
    if (ends_with(n, ext)) return true;
  return false;
}

bool is_archive_name(std::string_view p) {
  std::string n = syntax::ascii_lower(p);
  for (std::string_view ext : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz",
                               ".tar.zst", ".tzst", ".gz", ".bz2", ".xz", ".zst", ".lz4"})
    if (ends_with(n, ext)) return true;
  return false;
}

// The text of a RUN for pattern searches: the shell-form command or the exec array, plus heredocs.
std::string run_text(const ins::Run& r) {
  std::string s;
  for (const auto& a : r.args) s += a.text + " ";
  for (const auto& h : r.files) s += h.content + "\n";
  return s;
}

bool is_root_user(std::string_view u) {
  std::string_view name = u.substr(0, u.find(':'));
  return name.empty() || name == "root" || name == "0";
}

// Range of a word only when its text is the source bytes (single line, no escapes), so an
// offset inside the text is an offset inside the file.
bool verbatim(const syntax::Word& w) {
  return w.range.end.offset - w.range.begin.offset == w.text.size() && w.range.begin.line == w.range.end.line;
}

Position advance(Position p, size_t n) {
  p.column += static_cast<uint32_t>(n);
  p.offset += static_cast<uint32_t>(n);
  return p;
}

struct Practices {
  Engine& e;
  size_t target;
  std::vector<std::vector<size_t>> users;  // stage -> stages depending on it

  std::string label(size_t i) const { return e.stage_label(i); }
  const stages::StageNode& node(size_t i) const { return e.graph.stages[i]; }

  // The image at the bottom of a stage chain, and the FROM naming it.
  std::pair<const stages::StageNode*, std::string> root_of(size_t i) const {
    size_t guard = 0;
    while (node(i).base_kind == stages::BaseKind::Stage && node(i).base_stage < i && guard++ < e.graph.stages.size())
      i = node(i).base_stage;
    const auto& n = node(i);
    return {&n, n.base_kind == stages::BaseKind::Image ? n.base_ref : std::string()};
  }

  // The evaluation of instruction `c` of stage `si` (nullptr when there is none).
  const stages::StepEval* step_of(size_t si, const ins::Instruction& c) const {
    const auto& ev = e.in.analysis.eval;
    if (si >= ev.stages.size() || si >= e.program.stages.size()) return nullptr;
    const auto& cmds = e.program.stages[si].commands;  // one step per command, in order
    if (cmds.empty() || &c < cmds.data() || &c >= cmds.data() + cmds.size()) return nullptr;
    size_t j = static_cast<size_t>(&c - cmds.data());
    const auto& steps = ev.stages[si].steps;
    return j < steps.size() && steps[j].instruction == &c ? &steps[j] : nullptr;
  }

  void root_user() {
    // The last USER of the final stage or of the stages it is built FROM.
    const ins::Instruction* user = nullptr;
    size_t i = target;
    for (size_t guard = 0; guard <= e.graph.stages.size(); ++guard) {
      const auto& cmds = node(i).stage->commands;
      for (auto it = cmds.rbegin(); it != cmds.rend() && !user; ++it)
        if (it->as<ins::User>()) user = &*it;
      if (user || node(i).base_kind != stages::BaseKind::Stage || node(i).base_stage >= i) break;
      i = node(i).base_stage;
    }
    auto [root, ref] = root_of(target);
    const catalog::Image* img = e.catalog_image(ref);
    // The user the image runs as: the image config the simulation reports (USER expanded,
    // inherited through FROM <stage>, else the base image's), not the USER text; without a
    // build, the target's config as evaluated (the simulation's source for it).
    const std::string& runs_as = e.in.build && e.in.build->target == target ? e.in.build->config.user
                                                                              : e.in.analysis.eval.stages[target].config.user;
    if (!is_root_user(runs_as)) return;
    std::string name = "65532";
    if (img) {
      for (const auto& a : img->users)
        if (a.uid >= 1000 && a.uid < 65534) { name = a.name; break; }
      if (name == "65532")
        for (const auto& a : img->users)
          if (a.name == "nobody" || a.name == "nonroot") { name = a.name; break; }
    }
    const auto& final_stage = *node(target).stage;
    Finding* f;
    std::string why =
        "A process running as root in the container is root on the files it can reach; a compromised "
        "application or a container escape then starts with full privileges";
    if (user) {
      f = e.practice("RootUser", Severity::Warning, user->range(),
                     "the final stage explicitly runs as root", label(target), why,
                     fmt::format("switch to an unprivileged user, e.g. `USER {}`", name), std::string(kBP) + "#user");
      if (f && verbatim(user->as<ins::User>()->user))
        f->replacement = Replacement{user->as<ins::User>()->user.range, name};
    } else {
      f = e.practice("RootUser", Severity::Warning, final_stage.from.range(),
                     fmt::format("the final stage runs as root: no USER instruction{}",
                                 ref.empty() ? "" : fmt::format(" and {} defaults to root", ref)),
                     label(target), why,
                     fmt::format("add `USER {}` before CMD/ENTRYPOINT (after the steps that need root)", name),
                     std::string(kBP) + "#user");
      if (f) {
        // Insert before the first CMD/ENTRYPOINT of the final stage, else after its last line.
        const ins::Instruction* at = nullptr;
        for (const auto& c : final_stage.commands)
          if (c.as<ins::Cmd>() || c.as<ins::Entrypoint>()) { at = &c; break; }
        if (at) {
          Position p = at->range().begin;
          f->replacement = Replacement{{p, p}, fmt::format("USER {}\n", name)};
        } else {
          Position p = final_stage.commands.empty() ? final_stage.from.range().end : final_stage.commands.back().range().end;
          f->replacement = Replacement{{p, p}, fmt::format("\nUSER {}", name)};
        }
      }
    }
  }

  void large_base_and_tools() {
    auto [root, ref] = root_of(target);
    if (ref.empty()) return;
    const catalog::Image* img = e.catalog_image(ref);
    if (!img) return;
    const ins::From& from = root->stage->base();
    // Slimmer variant.
    const catalog::Image* best = nullptr;
    std::string best_ref;
    auto consider = [&](const std::string& r) {
      const catalog::Image* c = e.cat.find(r);
      if (!c || c->uncompressed_size == 0 || c->is_scratch()) return;
      if (!best || c->uncompressed_size < best->uncompressed_size) best = c, best_ref = r;
    };
    if (img->role == catalog::Role::Sdk && !img->runtime_images.empty()) {
      for (const auto& r : img->runtime_images) {
        consider(r);
        if (best) break;  // the catalog lists the preferred runtime first
      }
    }
    if (!best)
      for (const auto& r : img->slimmer) consider(r);
    if (best && img->uncompressed_size > best->uncompressed_size + 50'000'000) {
      uint64_t saving = img->uncompressed_size - best->uncompressed_size;
      Finding* f = e.practice(
          "LargeBaseImage", Severity::Warning, from.image.range,
          fmt::format("the final stage is based on {} ({}); {} ({}) would save about {}", ref,
                      mb(img->uncompressed_size), best_ref, mb(best->uncompressed_size), mb(saving)),
          label(root->index),
          "Everything in the base image ships with the application: a larger image is slower to pull and "
          "start and carries more packages with vulnerabilities",
          fmt::format("build in a full image if needed, but start the final stage from `{}`", best_ref),
          std::string(kBP) + "#choose-the-right-base-image");
      if (f && verbatim(from.image) && from.image.text.find('$') == std::string::npos)
        f->replacement = Replacement{from.image.range, best_ref};
    }
    // Build tools.
    std::vector<std::string> tools;
    for (const auto& t : img->tools)
      if (catalog::is_build_tool(t)) tools.push_back(t);
    if (!tools.empty() && (img->role == catalog::Role::Sdk)) {
      std::string list;
      for (size_t i = 0; i < tools.size() && i < 6; ++i) list += (i ? ", " : "") + tools[i];
      e.practice("BuildToolsInFinal", Severity::Warning, from.image.range,
                 fmt::format("the final stage ships build tools from {} ({})", ref, list), label(root->index),
                 "Compilers and SDKs are only needed to build; in the shipped image they add size and give an "
                 "attacker tools to work with",
                 "compile in a build stage and copy only the artefacts into a runtime image (multi-stage build)",
                 "https://docs.docker.com/build/building/multi-stage/");
    }
  }

  // Per-instruction practices of one built stage.
  void stage_instructions(size_t si) {
    const auto& st = *node(si).stage;
    bool is_final = si == target;
    std::string lbl = label(si);
    const ins::Instruction* whole_copy = nullptr;
    bool manifest_copied = false;
    bool cache_reported = false;
    bool node_env_production = false;
    for (const auto& c : st.commands) {
      if (const auto* env = c.as<ins::Env>())
        for (const auto& kv : env->pairs)
          if (kv.key.text == "NODE_ENV" && kv.value.text.find("production") != std::string::npos)
            node_env_production = true;
      const ins::Copy* cp = c.as<ins::Copy>();
      const ins::Add* ad = c.as<ins::Add>();
      const ins::Copy* any = cp ? cp : ad;
      // The evaluation's step of this instruction: the sources as expanded (`COPY $SRC .`).
      const stages::StepEval* step = step_of(si, c);
      if (any && !any->from) {
        for (size_t k = 0; k < any->sources.size(); ++k) {
          const auto& s = any->sources[k];
          std::string cleaned = clean_path(step && k < step->words.size() ? step->words[k] : s.text);
          if (cleaned == "." || cleaned == "/") {
            if (!whole_copy) whole_copy = &c;
          } else if (!whole_copy) {
            manifest_copied = true;
          }
          if (is_secret_name(base_name(cleaned)))
            e.practice("SecretInLayer", Severity::Error, c.range(),
                       fmt::format("{} copies the secret file '{}' into an image layer", c.node->keyword_text, s.text), lbl,
                       "Files copied into a layer stay in the image (and its history) for anyone who can pull "
                       "it, even if a later step deletes them",
                       "pass the secret at build time with `RUN --mount=type=secret,id=...` or at run time, "
                       "and list it in .dockerignore",
                       "https://docs.docker.com/build/building/secrets/");
        }
      }
      if (any && any->from && is_final) copy_whole_stage(c, *any, lbl);
      if (ad) add_instead_of_copy(c, *ad, lbl);
      if (const auto* run = c.as<ins::Run>()) {
        std::string text = run_text(*run);
        apt_lists(c, *run, lbl);
        if (is_final && !node_env_production) npm_dev(c, *run, text, lbl);
        if (whole_copy && !manifest_copied && !cache_reported) {
          if (auto m = dependency_install(text)) {
            cache_reported = true;
            Finding* f = e.practice(
                "CacheUnfriendlyOrder", Severity::Warning, whole_copy->range(),
                fmt::format("the whole build context is copied before `{}` (line {}): any source change "
                            "re-runs the dependency install",
                            m->first, c.line()),
                lbl,
                "Docker reuses a layer only while everything before it is unchanged; copying only the "
                "dependency manifests first keeps the install step cached across code edits",
                fmt::format("copy the manifests first: `COPY {} ./`, run the install, then `COPY . .`", m->second),
                "https://docs.docker.com/build/cache/optimize/#order-your-layers");
            // When the install directly follows the COPY, offer the reordered lines.
            if (f && &c == &*(std::find_if(st.commands.begin(), st.commands.end(),
                                           [&](const ins::Instruction& x) { return &x == whole_copy; }) + 1) &&
                run->files.empty())
              f->replacement = Replacement{{whole_copy->range().begin, c.range().end},
                                           fmt::format("COPY {} ./\n{}\n{}", m->second, c.node->original,
                                                       whole_copy->node->original)};
          }
        }
      }
    }
  }

  // The install command found in a RUN, and the manifests to copy before it.
  static std::optional<std::pair<std::string, std::string>> dependency_install(std::string_view t) {
    static const std::pair<std::string_view, std::string_view> table[] = {
        {"npm ci", "package.json package-lock.json"},
        {"npm install", "package.json package-lock.json"},
        {"npm i", "package.json package-lock.json"},
        {"yarn install", "package.json yarn.lock"},
        {"pnpm install", "package.json pnpm-lock.yaml"},
        {"pip install -r", "requirements.txt"},
        {"pip3 install -r", "requirements.txt"},
        {"poetry install", "pyproject.toml poetry.lock"},
        {"bundle install", "Gemfile Gemfile.lock"},
        {"go mod download", "go.mod go.sum"},
        {"composer install", "composer.json composer.lock"},
        {"dotnet restore", "*.csproj"},
        {"cargo fetch", "Cargo.toml Cargo.lock"},
        {"mvn dependency:go-offline", "pom.xml"},
    };
    for (const auto& [cmd, manifests] : table)
      if (contains_word(t, cmd)) return std::make_pair(std::string(cmd), std::string(manifests));
    return std::nullopt;
  }

  void copy_whole_stage(const ins::Instruction& c, const ins::Copy& cp, const std::string& lbl) {
    const stages::StageNode* src = e.graph.find(cp.from->text);
    if (!src) return;
    // The source stage's working directory as the evaluation resolved it (WORKDIR /app/ is /app).
    const auto& ev = e.in.analysis.eval.stages;
    const std::string wd = src->index < ev.size() && !ev[src->index].config.workdir.empty()
                               ? clean_path(ev[src->index].config.workdir)
                               : "/";
    for (const auto& s : cp.sources) {
      std::string cleaned = clean_path(s.text);
      std::string abs = cleaned == "." ? "/" : (cleaned[0] == '/' ? cleaned : "/" + cleaned);
      bool whole = abs == "/" || (wd != "/" && abs == wd);
      if (!whole) continue;
      e.practice("CopyWholeStage", Severity::Warning, c.range(),
                 fmt::format("the final stage copies the whole {} of stage '{}' ({}) instead of the built artefacts",
                             abs == "/" ? "file system" : "work folder", e.stage_label(src->index), abs),
                 lbl,
                 "Sources, dependency caches, dev dependencies and build tools of the build stage end up in the "
                 "shipped image",
                 fmt::format("copy only what runs, e.g. `COPY --from={} {}/dist ./dist` (the build output)", cp.from->text,
                             abs == "/" ? "/app" : abs),
                 "https://docs.docker.com/build/building/multi-stage/");
      return;
    }
  }

  void add_instead_of_copy(const ins::Instruction& c, const ins::Add& ad, const std::string& lbl) {
    if (ad.checksum || ad.keep_git_dir || ad.sources.empty()) return;
    for (const auto& s : ad.sources) {
      if (context::is_url(s.text) || context::is_git_source(s.text) || is_archive_name(s.text) || s.text.find('$') != std::string::npos)
        return;
      if (e.context() && !ad.from) {
        std::string cleaned = clean_path(s.text);
        uint32_t idx = e.context()->find(cleaned == "." ? "" : std::string_view(cleaned).substr(cleaned[0] == '/'));
        if (idx != context::BuildContext::npos && e.context()->is_file(idx)) {
          auto k = e.context()->sniff(idx);
          if (k != context::Sniff::Unknown && k != context::Sniff::Text && k != context::Sniff::Binary) return;
        }
      }
    }
    Finding* f = e.practice("AddInsteadOfCopy", Severity::Warning, c.node->keyword_range,
                            "ADD of local files: COPY does the same without ADD's implicit archive extraction", lbl,
                            "ADD also unpacks archives and downloads URLs; COPY says exactly what happens and "
                            "cannot surprise when a file turns out to be a tarball",
                            "use COPY", std::string(kBP) + "#add-or-copy");
    if (f) f->replacement = Replacement{c.node->keyword_range, is_lowercase(c.node->keyword_text) ? "copy" : "COPY"};
  }

  // The simulated step of instruction `c` (nullptr without a build or for an unbuilt stage).
  const sim::Step* sim_step(const ins::Instruction& c) {
    if (!e.in.build) return nullptr;
    if (!sim_steps_built) {
      for (const auto& st : e.in.build->steps)
        if (st.instruction && st.built) sim_steps[st.instruction] = &st;
      sim_steps_built = true;
    }
    auto it = sim_steps.find(&c);
    return it == sim_steps.end() ? nullptr : it->second;
  }
  std::unordered_map<const ins::Instruction*, const sim::Step*> sim_steps;
  bool sim_steps_built = false;

  // What the simulation knows: the RUN's layer still holds apt's package lists at its end
  // (downloaded by `apt-get update` in this RUN and not removed in it, no cache mount there).
  void apt_lists(const ins::Instruction& c, const ins::Run& run, const std::string& lbl) {
    const sim::Step* step = sim_step(c);
    if (!step) return;
    uint64_t left = 0;
    for (const auto& [dir, bytes] : step->downloads_left)
      if (dir == "/var/lib/apt/lists") left = bytes;
    if (left == 0) return;
    Finding* f = e.practice(
        "AptListsNotCleaned", Severity::Warning, c.range(),
        fmt::format("this RUN leaves apt's package lists in its layer (/var/lib/apt/lists, {})",
                    mb(left)),
        lbl,
        "Files deleted in a later RUN still take space in the earlier layer; the lists are only needed during "
        "the install",
        "remove them in the same RUN: `... && rm -rf /var/lib/apt/lists/*`", std::string(kBP) + "#apt-get");
    if (f && !run.json && run.files.empty() && !run.args.empty()) {
      Position p = run.args.back().range.end;
      f->replacement = Replacement{{p, p}, " \\\n    && rm -rf /var/lib/apt/lists/*"};
    }
  }

  void npm_dev(const ins::Instruction& c, const ins::Run& run, const std::string& text, const std::string& lbl) {
    std::string_view cmd;
    for (std::string_view k : {"npm ci", "npm install", "npm i"})
      if (contains_word(text, k)) { cmd = k; break; }
    if (cmd.empty()) return;
    for (std::string_view ok : {"--omit=dev", "--omit dev", "--production", "--only=prod", "--only=production"})
      if (text.find(ok) != std::string::npos) return;
    Finding* f = e.practice(
        "NpmDevDependencies", Severity::Warning, c.range(),
        fmt::format("`{}` in the final stage installs devDependencies (typescript, test tools...) into the "
                    "shipped image",
                    cmd),
        lbl,
        "devDependencies are only needed to build and test; in the runtime image they add size and attack surface",
        fmt::format("use `{} --omit=dev` (or build in an earlier stage and copy the output)", cmd),
        "https://docs.npmjs.com/cli/commands/npm-ci#omit");
    if (f && !run.json && run.files.empty() && run.args.size() == 1 && verbatim(run.args[0])) {
      size_t pos = run.args[0].text.find(cmd);
      if (pos != std::string::npos) {
        Position p = advance(run.args[0].range.begin, pos + cmd.size());
        f->replacement = Replacement{{p, p}, " --omit=dev"};
      }
    }
  }

  void unpinned(size_t si) {
    const auto& n = node(si);
    if (n.base_kind != stages::BaseKind::Image) return;
    auto ref = catalog::parse_reference(n.base_ref);
    if (!ref || !ref->digest.empty()) return;
    bool untagged = ref->tag.empty();
    if (!untagged && ref->tag != "latest") return;
    const ins::From& from = n.stage->base();
    const catalog::Image* img = e.catalog_image(n.base_ref);
    std::string pinned;
    if (img && !img->version.empty()) pinned = ref->familiar_name() + ":" + img->version;
    Finding* f = e.practice(
        "UnpinnedBaseImage", Severity::Warning, from.image.range,
        untagged ? fmt::format("base image '{}' has no tag: it means ':latest', which changes over time", n.base_ref)
                 : fmt::format("base image '{}' uses the moving 'latest' tag", n.base_ref),
        label(si),
        "A moving tag makes builds unreproducible: the same Dockerfile silently picks up a new major version",
        pinned.empty() ? "pin a version tag (and optionally a digest)" : fmt::format("pin a version, e.g. `{}`", pinned),
        std::string(kBP) + "#pin-base-image-versions");
    if (f && !pinned.empty() && verbatim(from.image) && from.image.text.find('$') == std::string::npos)
      f->replacement = Replacement{from.image.range, pinned};
  }

  void unused_stages() {
    for (const auto& n : e.graph.stages) {
      if (n.built) continue;
      const ins::Instruction& from = n.stage->from;
      std::string tgt = label(target);
      if (!users[n.index].empty()) {
        std::string by;
        for (size_t u : users[n.index]) by += (by.empty() ? "'" : ", '") + label(u) + "'";
        e.practice("UnusedStage", Severity::Warning, from.range(),
                   fmt::format("stage '{}' is only used by {} (not built for target '{}')", label(n.index), by, tgt),
                   label(n.index), "Stages the target does not need are skipped by BuildKit; dead stages only cost readers",
                   "remove it, or build the stage that uses it with --target", "https://docs.docker.com/build/building/multi-stage/");
      } else if (!n.name.empty()) {
        e.practice("UnusedStage", Severity::Note, from.range(),
                   fmt::format("stage '{}' is not used by target '{}': it is built only with `--target {}`", n.name, tgt, n.name),
                   label(n.index), "BuildKit skips stages the target does not need; this one is a plausible separate target (test, dev, debug...)",
                   fmt::format("nothing to do if you build it with `docker build --target {}`; otherwise remove it", n.name),
                   "https://docs.docker.com/build/building/multi-stage/#stop-at-a-specific-build-stage");
      } else {
        e.practice("UnusedStage", Severity::Warning, from.range(),
                   fmt::format("stage {} is never built: nothing uses it and, unnamed, it cannot be a --target", n.index),
                   label(n.index), "BuildKit skips stages the target does not need; an unnamed unused stage is dead code",
                   "remove it, name it (`AS name`) to build it with --target, or COPY --from it",
                   "https://docs.docker.com/build/building/multi-stage/");
      }
    }
  }

  void context_practices() {
    const context::BuildContext* ctx = e.context();
    if (!ctx) return;
    // Where to point: the first COPY/ADD of the whole context in a built stage, else the first FROM.
    Range where = e.program.stages.empty() ? Range{} : e.program.stages[0].from.range();
    std::string where_stage;
    bool sends_whole = false;
    for (const auto& n : e.graph.stages) {
      if (!n.built || sends_whole) continue;
      for (const auto& c : n.stage->commands) {
        const ins::Copy* any = c.as<ins::Copy>() ? c.as<ins::Copy>() : c.as<ins::Add>();
        if (!any || any->from) continue;
        for (const auto& s : any->sources)
          if (std::string cl = clean_path(s.text); cl == "." || cl == "/") sends_whole = true;
        if (sends_whole) {
          where = c.range();
          where_stage = label(n.index);
          break;
        }
      }
    }
    if (!e.ignore && ctx->file_count() > 0) {
      e.practice("NoDockerignore", Severity::Warning, where,
                 fmt::format("no .dockerignore: all {} files ({}) of the context are sent to the builder",
                             ctx->file_count(), mb(ctx->total_bytes())),
                 where_stage,
                 "Without .dockerignore, `COPY . .` also copies node_modules, .git, local .env files and build "
                 "output, invalidating the cache and possibly leaking secrets",
                 "add a .dockerignore, e.g. `.git`, `node_modules`, `.env*`, `*.pem`, `dist`",
                 "https://docs.docker.com/build/concepts/context/#dockerignore-files");
    }
    // What the context sends that it should not.
    std::vector<std::string> heavy, secrets;
    for (uint32_t i = 1; i < ctx->size();) {
      std::string_view path = ctx->path(i);
      std::string_view name = ctx->name(i);
      // What the build sends (its walk applied the .dockerignore once); without a build, the matcher.
      bool excluded = e.sent ? e.sent->visibility(i) != context::Visibility::Included
                             : e.ignore && e.ignore->matcher.matches_or_parent_matches(path);
      bool is_heavy = ctx->is_dir(i) && (name == "node_modules" || name == ".git");
      if (!excluded && is_heavy) {
        heavy.emplace_back(path);
        i = ctx->subtree_end(i);
        continue;
      }
      if (excluded && ctx->is_dir(i) && (e.sent ? e.sent->visibility(i) == context::Visibility::Excluded
                                                : !(e.ignore && e.ignore->matcher.exception_may_match_below(path)))) {
        i = ctx->subtree_end(i);
        continue;
      }
      if (!excluded && ctx->is_file(i) && is_secret_name(name)) secrets.emplace_back(path);
      ++i;
    }
    auto list = [](const std::vector<std::string>& v) {
      std::string s;
      for (size_t i = 0; i < v.size() && i < 4; ++i) s += (i ? ", " : "") + v[i];
      if (v.size() > 4) s += fmt::format(" and {} more", v.size() - 4);
      return s;
    };
    if (!heavy.empty())
      e.practice("ContextSendsSecrets", Severity::Warning, where,
                 fmt::format("the build context sends {} to the builder", list(heavy)), where_stage,
                 "node_modules and .git are large, change often and are rebuilt in the image anyway: they slow "
                 "every build and break the cache of `COPY . .`",
                 "add them to .dockerignore", "https://docs.docker.com/build/concepts/context/#dockerignore-files");
    if (!secrets.empty()) {
      bool into_layer = sends_whole;
      e.practice(into_layer ? "SecretInLayer" : "ContextSendsSecrets", into_layer ? Severity::Error : Severity::Warning,
                 where,
                 into_layer ? fmt::format("`COPY . .` puts the secret files {} into an image layer", list(secrets))
                            : fmt::format("the build context sends the secret files {}", list(secrets)),
                 where_stage,
                 "Secrets in the context reach the builder, and with a whole-context COPY they stay in the image "
                 "for anyone who can pull it",
                 "exclude them in .dockerignore and use `RUN --mount=type=secret` where a build step needs them",
                 "https://docs.docker.com/build/building/secrets/");
    }
  }

  void trailing_comments() {
    for (const auto& n : e.df.nodes) trailing_comment(n);
  }

  void trailing_comment(const syntax::Node& n) {
    switch (n.keyword) {
      case Keyword::Run: case Keyword::Cmd: case Keyword::Entrypoint: case Keyword::Healthcheck:
      case Keyword::Shell: case Keyword::Unknown:
        return;
      case Keyword::Onbuild:
        if (n.trigger) trailing_comment(*n.trigger);
        return;
      default: break;
    }
    if (n.json || n.args.empty()) return;
    Range cut{};
    bool found = false;
    bool single = n.keyword == Keyword::User || n.keyword == Keyword::Workdir || n.keyword == Keyword::Stopsignal ||
                  n.keyword == Keyword::Maintainer;
    if (single) {
      const auto& w = n.args[0];
      size_t pos = w.text.find(" #");
      if (pos == std::string::npos) pos = w.text.find("\t#");
      if (pos == std::string::npos || !verbatim(w)) return;
      cut = {advance(w.range.begin, pos), w.range.end};
      found = true;
    } else {
      for (size_t i = 0; i < n.args.size(); ++i) {
        if (n.args[i].text.empty() || n.args[i].text[0] != '#') continue;
        Position b = i ? n.args[i - 1].range.end : n.args[i].range.begin;
        if (!i) return;
        cut = {b, n.args.back().range.end};
        found = true;
        break;
      }
    }
    if (!found) return;
    Finding* f = e.practice(
        "TrailingComment", Severity::Error, cut,
        fmt::format("'#' does not start a comment here: {} receives '#' and the words after it as arguments",
                    n.keyword_text),
        "",
        "Dockerfile comments are whole lines starting with '#'; after an instruction, '#' is an ordinary "
        "argument (for COPY/ADD the last word becomes the destination)",
        "move the comment to its own line above the instruction", "https://docs.docker.com/reference/dockerfile/#format");
    if (f) f->replacement = Replacement{cut, ""};
  }
};

}  // namespace

void run_best_practices(Engine& e) {
  if (!e.options.best_practices || e.graph.stages.empty()) return;
  size_t target = e.graph.target;
  if (target == stages::npos || target >= e.graph.stages.size()) return;
  Practices p{e, target, {}, {}, false};
  p.users.assign(e.graph.stages.size(), {});
  for (const auto& n : e.graph.stages)
    for (const auto& d : n.deps)
      if (d.stage < p.users.size() && d.stage != n.index &&
          std::find(p.users[d.stage].begin(), p.users[d.stage].end(), n.index) == p.users[d.stage].end())
        p.users[d.stage].push_back(n.index);
  p.trailing_comments();
  p.root_user();
  p.large_base_and_tools();
  for (const auto& n : e.graph.stages)
    if (n.built) {
      p.stage_instructions(n.index);
      p.unpinned(n.index);
    }
  p.unused_stages();
  p.context_practices();
}

}  // namespace detail
}  // namespace dfplay::checks
