#include "sim/build.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <deque>
#include <tuple>
#include <unordered_map>

#include "context/copy_source.h"
#include "context/dockerignore.h"
#include "context/remote_source.h"
#include "context/filter.h"
#include "context/glob.h"
#include "sim/accounts.h"
#include "sim/annotation.h"
#include "sim/archive_extract.h"
#include "sim/effects.h"

namespace dfplay::sim {

std::string_view step_kind_name(StepKind k) {
  switch (k) {
    case StepKind::From: return "from";
    case StepKind::Run: return "run";
    case StepKind::Copy: return "copy";
    case StepKind::Add: return "add";
    case StepKind::Workdir: return "workdir";
  }
  return "?";
}

namespace {

using stages::Vars;

// Figures used by the estimates (documented in docs/build-json.md, "Estimates").
constexpr double kPullBytesPerSecond = 50e6;   // registry download + unpack
constexpr double kPullOverhead = 0.5;
constexpr double kCopyBytesPerSecond = 200e6;  // context transfer + copy
constexpr double kCopyOverhead = 0.1;
// A single file copied from an image the catalog does not describe file by file (dfplay estimate:
// static tools copied this way, busybox ~1 MB, tini ~0.8 MB, su-exec ~0.02 MB, are about 1 MB).
constexpr uint64_t kImageFileBytes = 1'000'000;
constexpr double kWorkdirSeconds = 0.05;
constexpr double kCompressionRatio = 0.45;  // gzip of typical layer content

uint64_t mix(uint64_t h, std::string_view s) { return hash_combine(h, s); }
uint64_t mix(uint64_t h, uint64_t v) { return hash_combine(h, v); }

std::string trim_right(std::string_view s) {
  size_t e = s.size();
  while (e > 0 && (s[e - 1] == '\n' || s[e - 1] == '\r' || s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(0, e));
}

std::string source_text(std::string_view text, const Range& r) {
  if (r.begin.offset >= text.size() || r.end.offset <= r.begin.offset) return {};
  size_t end = std::min<size_t>(r.end.offset, text.size());
  return trim_right(text.substr(r.begin.offset, end - r.begin.offset));
}

std::string first_line(std::string_view s) {
  auto nl = s.find('\n');
  return std::string(nl == std::string_view::npos ? s : s.substr(0, nl));
}

bool parse_u32(std::string_view s, uint32_t& out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

// A summary node at or above `path` (a catalog directory standing for its whole subtree).
bool summary_above(const Vfs& fs, std::string_view path) {
  for (std::string_view p = path;; p = parent_path(p)) {
    if (const FileNode* n = fs.find(p); n && n->summary) return true;
    if (p == "/") return false;
  }
}

// Directories where a distribution image and its packages keep their files (the simulation
// models them as a few summaries, not file by file). Project directories (/app, /src, /go,
// /home, /root, /tmp...) are not among them: a path missing there is really missing.
bool is_system_path(std::string_view clean) {
  for (std::string_view d : {"/etc", "/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/opt", "/var"})
    if (is_within(clean, d) && clean != d) return true;
  return false;
}

bool is_bin_dir(std::string_view clean) {
  std::string_view dir = base_name(parent_path(clean));
  return dir == "bin" || dir == "sbin";
}


// ---- RUN effects of earlier builds (RunCache) ------------------------------------------------
// The key of a RUN's effect: a hash of every field of its RunInput, the whole filesystem included
// (Vfs::fingerprint). Keep it in step with RunInput and Annotation: a field it leaves out would
// let a changed RUN reuse a stale effect.
uint64_t run_input_key(const RunInput& in) {
  auto bits = [](std::optional<double> d) {
    uint64_t b = ~uint64_t{0};
    if (d) std::memcpy(&b, &*d, sizeof b);
    return b;
  };
  uint64_t h = mix(0x52554e, in.command);
  h = mix(h, static_cast<uint64_t>(in.exec_args.size()));
  for (const auto& a : in.exec_args) h = mix(h, a);
  h = mix(h, static_cast<uint64_t>(in.shell_form) | static_cast<uint64_t>(in.has_shell) << 1);
  h = mix(h, in.fs.fingerprint());
  h = mix(h, static_cast<uint64_t>(in.env.size()));
  for (const auto& [k, v] : in.env) h = mix(mix(h, k), v);
  h = mix(mix(mix(mix(h, in.workdir), in.user), in.os_family), in.package_manager);
  h = mix(h, static_cast<uint64_t>(in.unmodelled_before.size()));
  for (const auto& u : in.unmodelled_before) h = mix(h, u);
  h = mix(h, static_cast<uint64_t>(in.cache_mounts.size()));
  for (const auto& m : in.cache_mounts) {
    h = mix(h, static_cast<uint64_t>(m.kind) | static_cast<uint64_t>(m.readonly) << 8 |
                   static_cast<uint64_t>(m.source_fs != nullptr) << 9);
    h = mix(mix(h, m.target), m.source);
    if (m.source_fs) h = mix(h, m.source_fs->fingerprint());
  }
  if (const Annotation* a = in.annotation) {
    h = mix(h, 1 + static_cast<uint64_t>(a->paths.size()));
    for (const auto& p : a->paths) {
      h = mix(h, static_cast<uint64_t>(p.kind) | static_cast<uint64_t>(p.file) << 8 |
                     static_cast<uint64_t>(p.size.has_value()) << 9);
      h = mix(mix(h, p.path), p.size.value_or(0));
    }
    h = mix(mix(h, bits(a->seconds)), bits(a->seconds_warm));
    h = mix(h, static_cast<uint64_t>(a->non_reproducible) | static_cast<uint64_t>(a->reproducible) << 1 |
                   static_cast<uint64_t>(a->nothing) << 2);
    h = mix(h, static_cast<uint64_t>(a->line));
  } else {
    h = mix(h, uint64_t{0});
  }
  return mix(h, static_cast<uint64_t>(in.layer));
}

// A RUN of the stage (or of a parent stage) whose effect is not (fully) modelled: what it
// wrote is unknown, not absent ("unknown is not absent", docs/effects.md).
struct Unmodelled {
  size_t step = 0;
  uint32_t line = 0;
  std::string command;             // the unknown command(s), as the notes name them
  std::vector<std::string> paths;  // where it most likely wrote (Effect::unknown_paths)
  std::string describe() const { return fmt::format("line {}: {}", line, command); }
};

struct StageState {
  std::vector<uint64_t> layer_ids;  // per layer index: identity used for content of unknown hash
  std::vector<Unmodelled> unmodelled;  // in step order
  uint64_t chain = 0;               // key of the last vertex
  size_t chain_step = SIZE_MAX;
  const catalog::Image* image = nullptr;  // base image (root ancestor)
  bool done = false;
};

class Builder {
 public:
  Builder(const Analysis& a, uint64_t nonce, RunCache* run_cache, BuildResult& r)
      : a_(a), opts_(a.options), nonce_(nonce), run_cache_(run_cache), r_(r) {
    cat_ = a.catalog;
    if (a.context) ctx_ = a.context;
    else ctx_ = &empty_ctx_;
    platform_ = a.platform.str();
    auto ignore = std::make_shared<context::IgnoreFile>(context::load_dockerignore(*ctx_, a.file_name));
    r_.ignore = ignore;
    view_ = std::make_shared<const context::FilteredContext>(*ctx_, *r_.ignore);
    r_.sent = view_;
    for (const auto& d : r_.ignore->diagnostics) r_.diagnostics.add(d);
    for (const auto& d : ctx_->diagnostics())  // the context's limit (its other notes are warnings of the loader)
      if (d.code.starts_with("limits/")) r_.diagnostics.add(d);
    summarise_context();
  }

  void run() {
    prepare();
    while (simulate_next()) {
    }
    complete();
  }

  // run() in steps (Simulation, below): prepare() lays out every step, each simulate_next()
  // simulates one built stage (levels in order, dependencies first) and says whether one was
  // left, complete() sums the image up.
  void prepare() {
    const auto& program = a_.program;
    const auto& graph = a_.graph;
    r_.stages.resize(program.stages.size());
    states_.resize(program.stages.size());
    step_of_.resize(program.stages.size());
    size_t max_steps = 0;
    for (const auto& st : program.stages) max_steps += 1 + st.commands.size();
    r_.steps.reserve(max_steps);
    // Steps of every stage in file order.
    for (size_t s = 0; s < program.stages.size(); ++s) {
      StageResult& sr = r_.stages[s];
      const auto& st = program.stages[s];
      const auto* node = s < graph.stages.size() ? &graph.stages[s] : nullptr;
      sr.index = s;
      sr.name = st.name();
      sr.label = sr.name.empty() ? std::to_string(s) : sr.name;
      sr.built = node && node->built;
      sr.level = node ? node->level : -1;
      if (node)
        for (const auto& d : node->deps)
          if (d.stage != stages::npos && std::find(sr.depends_on.begin(), sr.depends_on.end(), d.stage) == sr.depends_on.end())
            sr.depends_on.push_back(d.stage);
      add_step(s, StepKind::From, &st.from);
      step_of_[s].assign(st.commands.size(), SIZE_MAX);
      for (size_t i = 0; i < st.commands.size(); ++i) {
        const auto& ins = st.commands[i];
        StepKind k;
        switch (ins.keyword) {
          case syntax::Keyword::Run: k = StepKind::Run; break;
          case syntax::Keyword::Copy: k = StepKind::Copy; break;
          case syntax::Keyword::Add: k = StepKind::Add; break;
          case syntax::Keyword::Workdir:
            if (s < a_.eval.stages.size() && a_.eval.stages[s].steps[i].value == "/") continue;
            k = StepKind::Workdir;
            break;
          default: continue;
        }
        step_of_[s][i] = add_step(s, k, &ins);
      }
      size_t n = sr.steps.size();
      for (size_t i = 0; i < n; ++i) {
        r_.steps[sr.steps[i]].vertex = i + 1;
        r_.steps[sr.steps[i]].vertices = n;
      }
    }
    // Built stages, level by level (dependencies first).
    for (const auto& level : graph.levels)
      for (size_t s : level)
        if (s < r_.stages.size()) order_.push_back(s);
  }

  bool simulate_next() {
    if (next_ >= order_.size()) return false;
    simulate_stage(order_[next_++]);
    return true;
  }

  void complete() { finish(); }

 private:
  size_t add_step(size_t s, StepKind k, const ins::Instruction* ins) {
    Step& st = r_.steps.emplace_back();
    st.id = r_.steps.size() - 1;
    st.stage = s;
    st.kind = k;
    st.instruction = k == StepKind::From ? nullptr : ins;
    st.range = ins->range();
    st.line = ins->line();
    st.text = source_text(a_.text, st.range);
    st.built = r_.stages[s].built;
    r_.stages[s].steps.push_back(r_.steps.size() - 1);
    return r_.steps.size() - 1;
  }

  // ---- owners ------------------------------------------------------------------------------
  struct Owner {
    uint32_t uid = 0, gid = 0;
    bool ok = true;
  };

  std::optional<std::pair<uint32_t, uint32_t>> lookup_account(const StageResult& sr, const catalog::Image* img,
                                                              std::string_view name) {
    if (name == "root") return std::pair<uint32_t, uint32_t>{0, 0};
    if (const FileNode* pw = sr.fs.find("/etc/passwd"); pw && pw->content) {
      std::optional<std::pair<uint32_t, uint32_t>> found;
      for_each_account_line(*pw->content, [&](const AccountLine& l) {
        uint32_t uid, gid;
        if (l.count < 4 || l.name() != name || !l.id(uid) || !l.gid(gid)) return true;
        found = std::pair{uid, gid};
        return false;
      });
      if (found) return found;
    }
    if (img)
      if (const auto* a = img->account(name)) return std::pair{a->uid, a->gid};
    return std::nullopt;
  }

  Owner resolve_owner(const StageResult& sr, size_t s, std::string_view spec, Step& step) {
    Owner o;
    if (spec.empty()) return o;
    std::string_view user = spec, group;
    if (auto c = spec.find(':'); c != std::string_view::npos) {
      user = spec.substr(0, c);
      group = spec.substr(c + 1);
    }
    const catalog::Image* img = states_[s].image;
    uint32_t v;
    if (parse_u32(user, v)) {
      o.uid = v;
      o.gid = v;
      if (auto a = lookup_account(sr, img, user)) o.gid = a->second;
    } else if (auto a = lookup_account(sr, img, user)) {
      o.uid = a->first;
      o.gid = a->second;
    } else {
      o.ok = false;
      step.notes.push_back(fmt::format("user \"{}\" not found in the image's /etc/passwd (BuildKit fails: unable to find user)", user));
    }
    if (!group.empty()) {
      if (parse_u32(group, v)) o.gid = v;
      else if (auto a = lookup_account(sr, img, group)) o.gid = a->second;
    }
    return o;
  }

  // ---- content identities ------------------------------------------------------------------
  uint64_t node_identity(const StageState& ss, const std::string& path, const FileNode& n) const {
    uint64_t h = mix(static_cast<uint64_t>(n.type), static_cast<uint64_t>(n.mode));
    h = mix(h, (static_cast<uint64_t>(n.uid) << 32) | n.gid);
    if (n.is_symlink()) return mix(h, n.link);
    if (n.is_dir() && !n.summary) return h;
    if (n.hash) return mix(h, n.hash);
    uint64_t layer_id = n.layer < ss.layer_ids.size() ? ss.layer_ids[n.layer] : 0;
    return mix(mix(h, layer_id), path);
  }

  uint64_t subtree_identity(const StageState& ss, const Vfs& fs, const std::string& path,
                            std::vector<std::pair<std::string, uint64_t>>* inputs) const {
    uint64_t h = 0x5eed;
    const FileNode* root = fs.find(path);
    if (!root) return mix(h, "missing");
    if (!root->is_dir() || root->summary) {
      uint64_t id = node_identity(ss, path, *root);
      if (inputs) inputs->emplace_back(path, id);
      return mix(h, id);
    }
    fs.for_each_under(path, [&](const std::string& p, const FileNode& n) {
      uint64_t id = node_identity(ss, p, n);
      h = mix(mix(h, std::string_view(p).substr(path.size())), id);
      if (inputs && !n.is_dir()) inputs->emplace_back(p, id);
    });
    return h;
  }

  uint64_t context_identity(uint32_t e) const {
    const auto& ctx = *ctx_;
    uint64_t h = mix(static_cast<uint64_t>(ctx.type(e)), static_cast<uint64_t>(ctx.mode(e)));
    if (ctx.is_symlink(e)) return mix(h, ctx.symlink_target(e));
    if (ctx.is_file(e)) return mix(mix(h, ctx.digest(e).hi), ctx.digest(e).lo);
    return h;
  }

  // ---- layers --------------------------------------------------------------------------------
  uint32_t open_layer(size_t s, Step& step) {
    StageResult& sr = r_.stages[s];
    Layer l;
    l.stage = s;
    l.step = step.id;
    l.instruction = first_line(step.text);
    sr.layers.push_back(std::move(l));
    states_[s].layer_ids.resize(sr.layers.size() + 1, 0);
    return static_cast<uint32_t>(sr.layers.size());
  }

  void close_layer(size_t s, Step& step, uint64_t bytes, uint64_t wasted, bool estimated, std::string source) {
    StageResult& sr = r_.stages[s];
    Layer& l = sr.layers.back();
    l.size_bytes = bytes;
    l.wasted_bytes = wasted;
    l.estimated = estimated;
    l.source = std::move(source);
    step.layer_bytes = bytes;
    step.wasted_bytes = wasted;
    states_[s].layer_ids[sr.layers.size()] = step.key;
  }

  template <class Path>  // a path to copy, or a std::string&& to take over
  void put(StageResult& sr, Path&& path, FileNode n, uint64_t& bytes, uint64_t& wasted) {
    const uint32_t layer = n.layer;
    if (!n.is_dir() || n.summary) bytes += n.size;
    Vfs::Replaced old;
    sr.fs.put(std::forward<Path>(path), std::move(n), &old);
    if (old.existed && old.layer < layer && (old.type != NodeType::Dir || old.summary)) wasted += old.size;
  }

  // ---- stages --------------------------------------------------------------------------------
  void simulate_stage(size_t s) {
    StageResult& sr = r_.stages[s];
    StageState& ss = states_[s];
    if (ss.done) return;
    ss.done = true;
    const auto& program = a_.program;
    const auto& se = a_.eval.stages[s];
    const auto* node = s < a_.graph.stages.size() ? &a_.graph.stages[s] : nullptr;
    Step& from = r_.steps[sr.steps[0]];
    const std::string& platform = platform_;
    if (se.from_stage && se.base_stage < s) {
      size_t p = se.base_stage;
      simulate_stage(p);
      const StageResult& pr = r_.stages[p];
      const StageState& ps = states_[p];
      sr.fs = pr.fs;
      sr.layers = pr.layers;
      sr.base = pr.label;
      sr.base_bytes = pr.base_bytes;
      sr.base_compressed_bytes = pr.base_compressed_bytes;
      sr.os_family = pr.os_family;
      ss.layer_ids = ps.layer_ids;
      ss.unmodelled = ps.unmodelled;
      ss.chain = ps.chain;
      ss.chain_step = ps.chain_step;
      ss.image = ps.image;
      from.key = ps.chain;
      from.parts.op = "FROM stage " + pr.label;
      from.parts.base_ref = pr.label;
      from.source_stages.push_back(p);
      from.parent_step = ps.chain_step;
    } else {
      const catalog::Resolution& res = se.base;
      ss.image = &res.image;
      sr.base = node ? node->base_ref : res.input;
      if (res.image.is_scratch()) sr.base = "scratch";
      sr.base_bytes = res.image.uncompressed_size;
      sr.base_compressed_bytes = res.image.compressed_size;
      sr.base_estimated = res.estimated;
      sr.base_reason = res.reason;
      sr.os_family = res.image.os;
      std::string digest = res.image.digest;
      for (const auto& [ref, d] : opts_.digest_overrides)
        if (ref == sr.base || ref == res.input || ref == res.ref.canonical()) digest = d;
      if (res.image.is_scratch()) digest = "scratch";
      from.parts.base_ref = sr.base;
      from.parts.base_digest = digest;
      from.parts.op = "FROM " + digest + " " + platform;
      from.key = mix(mix(content_hash("from"), digest), platform);
      ss.chain = from.key;
      ss.chain_step = from.id;
      ss.layer_ids.assign(1, from.key);
      sr.fs = base_fs(res.image, from.key);
      if (!res.image.is_scratch()) {
        from.seconds = kPullOverhead + static_cast<double>(res.image.compressed_size) / kPullBytesPerSecond;
        from.time_source = fmt::format("estimate: pull of {} compressed bytes at {} MB/s", res.image.compressed_size,
                                       kPullBytesPerSecond / 1e6);
        from.estimated = true;
      }
      if (res.estimated) {
        from.estimated = true;
        from.notes.push_back("base image estimated: " + res.reason);
      }
    }
    from.parent_key = 0;
    const auto& stage = program.stages[s];
    for (size_t i = 0; i < stage.commands.size(); ++i) {
      size_t sid = step_of_[s][i];
      if (sid == SIZE_MAX) continue;
      Step& step = r_.steps[sid];
      const auto& ev = se.steps[i];
      step.parent_key = ss.chain;
      step.parent_step = ss.chain_step;
      switch (step.kind) {
        case StepKind::Workdir: do_workdir(s, step, ev); break;
        case StepKind::Run: do_run(s, step, ev); break;
        case StepKind::Copy:
        case StepKind::Add: do_copy(s, step, ev); break;
        default: break;
      }
      ss.chain = step.key;
      ss.chain_step = step.id;
      sr.seconds += step.seconds;
    }
    sr.seconds += from.seconds;
    uint64_t total = sr.base_bytes;
    for (const auto& l : sr.layers) total += l.size_bytes;
    sr.size_bytes = total;
  }

  // The filesystem of a stage based on `image` (from.key = digest + platform): the catalog's
  // directories as summaries, plus the directories every Linux image has. Stages with the same
  // base start from a copy of the first one's.
  const Vfs& base_fs(const catalog::Image& image, uint64_t from_key) {
    for (const auto& [img, key, fs] : base_fs_)
      if (img == &image && key == from_key) return fs;
    Vfs fs;
    for (const auto& d : image.directories) {
      if (d.path.empty() || d.path == "/") continue;
      fs.put(clean_abs(d.path), summary_node(d.size, mix(from_key, d.path), 0, d.source.empty() ? "catalog" : d.source,
                                             d.estimated()));
    }
    // The directories every Linux image has (so that `COPY x /etc` copies into /etc).
    if (!image.is_scratch())
      for (const char* d : {"/bin", "/dev", "/etc", "/home", "/lib", "/proc", "/root", "/run", "/sbin", "/sys", "/tmp",
                            "/usr", "/var"})
        if (!fs.find(d)) fs.mkdir_p(d, 0);
    // Standard directories of distribution images (Alpine's and Debian's root filesystems both
    // ship them, and so do the oracle's stand-ins): a COPY into /usr/local/bin creates nothing new.
    if (!image.is_scratch() && image.os != "distroless" && image.os != "scratch")
      for (const char* d : {"/usr/bin", "/usr/sbin", "/usr/share", "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib",
                            "/var/lib", "/var/cache", "/var/tmp"})
        if (!fs.find(d) && !summary_above(fs, d)) fs.mkdir_p(d, 0);
    if (!image.config.workdir.empty() && image.config.workdir != "/") fs.mkdir_p(clean_abs(image.config.workdir), 0);
    return std::get<2>(base_fs_.emplace_back(&image, from_key, std::move(fs)));
  }

  void do_workdir(size_t s, Step& step, const stages::StepEval& ev) {
    StageResult& sr = r_.stages[s];
    Owner o = resolve_owner(sr, s, ev.user, step);
    if (!o.ok) o = {};  // BuildKit would fail on an unknown user name; keep going as root
    // BuildKit's mkdir cleans the path (llb.Mkdir): `/app` and `/app/` are the same vertex.
    std::string dir = clean_abs(ev.value);
    step.parts.op = fmt::format("mkdir -p {} user={}", dir, ev.user);
    step.parts.user = ev.user;
    step.key = mix(mix(step.parent_key, content_hash("workdir")), step.parts.op);
    uint32_t layer = open_layer(s, step);
    sr.fs.mkdir_p(dir, layer, o.uid, o.gid);
    step.seconds = kWorkdirSeconds;
    step.time_source = "estimate: mkdir";
    step.estimated = true;
    close_layer(s, step, 0, 0, false, "");
  }

  std::string user_of(const stages::StepEval& ev) const { return ev.user; }

  // `a + b + c` for hashing, without a new string each time.
  std::string_view joined(std::string_view a, std::string_view b, std::string_view c = {}) {
    buf_.assign(a);
    buf_.append(b);
    buf_.append(c);
    return buf_;
  }

  // A RUN's key environment: ENV, then the ARGs with values (and their names). Consecutive RUNs
  // that see the same ENV and ARGs snapshots (stages/eval.h) share one copy.
  void run_env(const stages::StepEval& ev, KeyParts& kp) {
    if (!run_env_valid_ || run_env_ids_[0] != ev.env.id() || run_env_ids_[1] != ev.args.id()) {
      Vars env = ev.env;
      std::vector<std::string> names;
      for (const auto& [k, v] : ev.args) {
        env.emplace_back(k, v);
        names.push_back(k);
      }
      run_env_ = stages::Shared<Vars>(std::move(env));
      run_arg_names_ = stages::Shared<std::vector<std::string>>(std::move(names));
      run_env_ids_[0] = ev.env.id();
      run_env_ids_[1] = ev.args.id();
      run_env_valid_ = true;
    }
    kp.env = run_env_;
    kp.arg_names = run_arg_names_;
  }

  void do_run(size_t s, Step& step, const stages::StepEval& ev) {
    StageResult& sr = r_.stages[s];
    StageState& ss = states_[s];
    const auto* run = step.instruction->as<ins::Run>();
    std::vector<std::string> argv;  // exec form
    std::string script;             // shell form
    // Key parts. The operation is the argv joined by NULs: exec form as written, shell form
    // SHELL + the script.
    KeyParts& kp = step.parts;
    if (run->json) {
      for (const auto& w : run->args) argv.push_back(w.text);
      for (size_t i = 0; i < argv.size(); ++i) {
        if (i) kp.op += '\0';
        kp.op += argv[i];
      }
    } else {
      std::string_view line = run->args.empty() ? std::string_view() : std::string_view(run->args[0].text);
      std::vector<HeredocFile> files;
      for (const auto& h : run->files) files.push_back(HeredocFile{h.name, h.content, h.chomp});
      script = run_script(line, files);
      size_t n = script.size();
      for (const auto& a : ev.shell) n += a.size() + 1;
      kp.op.reserve(n);
      for (const auto& a : ev.shell) {
        kp.op += a;
        kp.op += '\0';
      }
      kp.op += script;
    }
    run_env(ev, kp);
    kp.user = ev.user;
    kp.workdir = ev.workdir;
    if (!run->json)
      for (size_t i = 0; i < ev.shell.size(); ++i) {
        if (i) kp.shell += ' ';
        kp.shell += ev.shell[i];
      }
    uint64_t key = mix(step.parent_key, content_hash("run"));
    key = mix(key, kp.op);
    for (const auto& [k, v] : kp.env) key = mix(key, joined(k, "=", v));
    key = mix(key, joined("user=", kp.user));  // one joined() per statement: they share a buffer
    key = mix(key, joined("cwd=", kp.workdir));
    key = mix(mix(key, run->network == "default" ? opts_.network : run->network), run->security);
    key = mix(key, platform_);
    // Mounts.
    std::vector<MountInfo> mounts;
    std::vector<std::unique_ptr<Vfs>> owned;
    for (const auto& m : ev.mounts) {
      MountInfo mi;
      std::string target = clean_abs(m.target, ev.workdir);
      mi.target = target;
      mi.readonly = m.readonly;
      std::string desc;
      switch (m.type) {
        case ins::MountType::Cache: {
          mi.kind = MountInfo::Kind::Cache;
          bool is_default = (m.id.empty() || m.id == m.target || m.id == target) && m.sharing == ins::Sharing::Shared;
          desc = fmt::format("cache:{}:{}", target, is_default ? "id=" + m.target + ",sharing=shared" : "");
          step.cache_mounts.push_back(m.id.empty() ? target : m.id);
          break;
        }
        case ins::MountType::Bind: {
          mi.kind = MountInfo::Kind::Bind;
          std::string src = clean_abs(m.source.empty() ? "/" : m.source);
          mi.source = src;
          uint64_t content = 0;
          std::vector<std::pair<std::string, uint64_t>> inputs;
          if (!m.from.empty()) {
            const stages::StageNode* dep = a_.graph.find(m.from);
            if (dep && dep->index != s && dep->index < r_.stages.size()) {
              simulate_stage(dep->index);
              mi.source_fs = &r_.stages[dep->index].fs;
              content = subtree_identity(states_[dep->index], r_.stages[dep->index].fs, src, &inputs);
              step.source_stages.push_back(dep->index);
              kp.input_from += r_.stages[dep->index].label + " ";
            } else {
              auto res = cat_->lookup(m.from);
              content = content_hash(res.image.digest + src);
              kp.input_from += m.from + " ";
            }
          } else {
            auto v = std::make_unique<Vfs>();
            std::string rel = src == "/" ? "" : src.substr(1);
            uint32_t e = view_->resolve(rel, true);
            uint64_t h = 0x6b1d;
            if (e != context::BuildContext::npos) {
              auto add = [&](uint32_t x) {
                std::string p = "/" + std::string(ctx_->path(x));
                uint64_t id = context_identity(x);
                h = mix(mix(h, p), id);
                if (!ctx_->is_dir(x)) inputs.emplace_back(std::string(ctx_->path(x)), id);
                if (ctx_->is_file(x)) {
                  FileNode fn = file_node(std::string(ctx_->content(x)), 0, ctx_->mode(x));
                  fn.size = ctx_->file_size(x);
                  v->put(p, fn);
                } else if (ctx_->is_dir(x)) {
                  v->mkdir_p(p, 0);
                }
              };
              add(e);
              for (uint32_t x = e + 1; x < ctx_->subtree_end(e); ++x)
                if (view_->visible(x)) add(x);
            } else {
              h = mix(h, "missing " + src);
            }
            content = h;
            mi.source_fs = v.get();
            owned.push_back(std::move(v));
            kp.input_from += "context ";
          }
          for (auto& in : inputs) kp.inputs.push_back(std::move(in));
          desc = fmt::format("bind:{}:{}:{}:{}:{:x}", target, m.from, src, m.readonly, content);
          break;
        }
        case ins::MountType::Tmpfs: mi.kind = MountInfo::Kind::Tmpfs; desc = "tmpfs:" + target; break;
        case ins::MountType::Secret: mi.kind = MountInfo::Kind::Secret; desc = "secret:" + m.id + ":" + target; break;
        case ins::MountType::Ssh: mi.kind = MountInfo::Kind::Ssh; desc = "ssh:" + m.id + ":" + target; break;
      }
      kp.mounts += desc + ";";
      mounts.push_back(std::move(mi));
    }
    key = mix(key, kp.mounts);
    step.key = key;
    // Effects: the key's environment, plus the proxy args (kept out of the key).
    const Vars* env = &kp.env.get();
    Vars with_proxy;
    if (!ev.proxy_args.empty()) {
      with_proxy = *env;
      for (const auto& kv : ev.proxy_args) with_proxy.push_back(kv);
      env = &with_proxy;
    }
    std::optional<Annotation> ann = find_annotation(a_.text, step.range.begin.offset, &r_.diagnostics);
    uint32_t layer = open_layer(s, step);
    const catalog::Image* img = ss.image;
    RunInput ri{.command = script,
                .exec_args = std::move(argv),  // empty for the shell form
                .shell_form = !run->json,
                .fs = sr.fs,
                .env = *env,
                .workdir = ev.workdir,
                .user = ev.user,
                .os_family = sr.os_family,
                .has_shell = img ? img->has_shell() || sr.os_family != "distroless" : true,
                .package_manager = img ? std::string_view(img->package_manager) : std::string_view(),
                .cache_mounts = mounts,
                .annotation = ann ? &*ann : nullptr,
                .unmodelled_before = {},
                .layer = layer};
    for (const auto& u : ss.unmodelled) ri.unmodelled_before.push_back(u.describe());
    // The effect: simulated, or the one an earlier build got from exactly the same inputs (kept
    // in the caller's RunCache). Nodes of an effect nobody keeps are moved, others copied.
    std::shared_ptr<const Effect> known;
    uint64_t effect_key = 0;
    if (run_cache_) {
      effect_key = run_input_key(ri);
      known = run_cache_->find(effect_key);
    }
    Effect fresh;
    if (!known) {
      fresh = simulate_run(ri);
      if (run_cache_) {
        known = std::make_shared<const Effect>(std::move(fresh));
        run_cache_->store(effect_key, known);
      }
    }
    const Effect& eff = known ? *known : fresh;
    uint64_t bytes = 0, wasted = eff.removed_bytes;
    if (known) {
      for (const auto& c : known->changes) {
        if (c.op == FileChange::Op::Remove) sr.fs.remove(c.path);
        else put(sr, c.path, c.node, bytes, wasted);
      }
    } else {
      for (auto& c : fresh.changes) {
        if (c.op == FileChange::Op::Remove) sr.fs.remove(c.path);
        else put(sr, std::move(c.path), std::move(c.node), bytes, wasted);
      }
    }
    step.seconds = eff.seconds_cold;
    step.seconds_warm = eff.seconds_warm_mount;
    step.estimated = true;
    step.time_source = eff.annotated ? "annotation" : "estimate: sim/effects (docs/effects.md)";
    for (const auto& rc : eff.recognised) step.notes.push_back(rc.tool + ": " + rc.summary);
    for (const auto& u : eff.unknown_commands) step.notes.push_back("unknown effect: " + u);
    for (const auto& f : eff.failures) step.notes.push_back("would fail: " + f);
    for (const auto& n : eff.notes) step.notes.push_back(n);
    close_layer(s, step, bytes, wasted, eff.estimated, eff.annotated ? "annotation" : "sim/effects");
    for (std::string_view dir : kDownloadDirs) {
      uint64_t left = 0;
      if (const FileNode* d = sr.fs.find(dir); d && d->summary && d->layer == layer) left += d->size;
      sr.fs.for_each_under(dir, [&](const std::string&, const FileNode& n) {
        if (n.layer == layer && (!n.is_dir() || n.summary)) left += n.size;
      });
      if (left > 0) step.downloads_left.emplace_back(std::string(dir), left);
    }
    if (eff.non_reproducible) ss.layer_ids[layer] = mix(step.key, nonce_);
    else if (eff.output_key) ss.layer_ids[layer] = mix(content_hash("output"), eff.output_key);
    if (eff.unknown && !eff.annotated) {
      step.unmodelled = true;
      sr.layers.back().unknown = true;
      std::string cmd = first_line(step.text);
      if (cmd.size() > 90) cmd = cmd.substr(0, 87) + "...";
      ss.unmodelled.push_back({step.id, step.line, std::move(cmd), eff.unknown_paths});
    }
  }

  // A COPY --from source the model of stage `from` lacks: the unmodelled step that could have
  // produced it (the last one whose likely paths contain it, else the last one), or nullptr when
  // every step of that stage is modelled (then the source is really missing).
  const Unmodelled* unmodelled_writer(size_t from, const std::string& src) const {
    const auto& list = states_[from].unmodelled;
    for (auto it = list.rbegin(); it != list.rend(); ++it)
      for (const auto& p : it->paths)
        if (is_within(src, p)) return &*it;
    return list.empty() ? nullptr : &list.back();
  }

  // Entries of a stage filesystem selected by a COPY --from source.
  struct VfsRoot {
    std::string path;
    bool dir;
  };
  std::vector<VfsRoot> select_vfs(const Vfs& fs, const std::string& src, bool& found) {
    std::vector<VfsRoot> out;
    found = false;
    if (!context::has_wildcards(src)) {
      const FileNode* n = fs.find(src);
      if (!n) return out;
      found = true;
      out.push_back({src, n->is_dir() && !n->summary});
      return out;
    }
    // Non-wildcard prefix directory, then component-wise matching.
    std::vector<std::string> comps;
    size_t b = 1;
    for (size_t i = 1; i <= src.size(); ++i)
      if (i == src.size() || src[i] == '/') {
        comps.push_back(src.substr(b, i - b));
        b = i + 1;
      }
    std::string prefix;
    size_t k = 0;
    while (k < comps.size() && !context::has_wildcards(comps[k])) prefix += "/" + comps[k++];
    if (prefix.empty()) prefix = "/";
    size_t depth = comps.size() - k;
    std::string skip_under;
    fs.for_each_under(prefix, [&](const std::string& p, const FileNode& n) {
      if (!skip_under.empty() && is_within(p, skip_under)) return;
      std::string_view rel = relative_to(p, prefix);
      if (prefix == "/") rel = std::string_view(p).substr(1);
      size_t d = 1 + static_cast<size_t>(std::count(rel.begin(), rel.end(), '/'));
      if (d != depth) return;
      size_t pos = 0;
      for (size_t c = k; c < comps.size(); ++c) {
        size_t e = rel.find('/', pos);
        if (e == std::string_view::npos) e = rel.size();
        if (!context::glob_match(comps[c], rel.substr(pos, e - pos))) return;
        pos = e + 1;
      }
      out.push_back({p, n.is_dir() && !n.summary});
      if (n.is_dir()) skip_under = p;
    });
    found = true;  // a wildcard matching nothing is not an error
    return out;
  }

  void do_copy(size_t s, Step& step, const stages::StepEval& ev) {
    StageResult& sr = r_.stages[s];
    StageState& ss = states_[s];
    const ins::Copy* cp = step.instruction->as<ins::Copy>();
    if (!cp) cp = step.instruction->as<ins::Add>();
    const bool is_add = step.kind == StepKind::Add;
    KeyParts& kp = step.parts;
    std::string dest = clean_abs(ev.dest, ev.workdir);
    bool dest_slash = !ev.dest.empty() && (ev.dest.back() == '/' || ev.dest == "." || ev.dest.ends_with("/."));
    // "{ADD|COPY} dest={} chown={} chmod={} link={} from={} parents={} excludes={,} sources={\x1f}"
    {
      std::string& op = kp.op;
      op = is_add ? "ADD" : "COPY";
      auto field = [&op](std::string_view name, std::string_view value) {
        op += ' ';
        op += name;
        op += '=';
        op += value;
      };
      auto list = [&op](std::string_view name, const std::vector<std::string>& v, char sep) {
        op += ' ';
        op += name;
        op += '=';
        for (size_t i = 0; i < v.size(); ++i) {
          if (i) op += sep;
          op += v[i];
        }
      };
      field("dest", dest);
      field("chown", ev.chown);
      // BuildKit parses --chmod as octal (strconv.ParseUint(s, 8, 32)) and keys the mode itself:
      // `755` and `0755` are the same operation.
      uint32_t mode = 0;
      auto pr = std::from_chars(ev.chmod.data(), ev.chmod.data() + ev.chmod.size(), mode, 8);
      if (!ev.chmod.empty() && pr.ec == std::errc{} && pr.ptr == ev.chmod.data() + ev.chmod.size())
        field("chmod", fmt::format("{:o}", mode));
      else
        field("chmod", ev.chmod);
      field("link", cp->link ? "true" : "false");
      field("from", ev.from);
      field("parents", cp->parents ? "true" : "false");
      list("excludes", ev.excludes, ',');
      list("sources", ev.words, '\x1f');
    }
    if (cp->checksum) kp.op += " checksum=" + cp->checksum->text;
    kp.user = ev.user;
    uint32_t layer = open_layer(s, step);
    Owner owner = resolve_owner(sr, s, ev.chown, step);
    if (!owner.ok) owner = {};
    std::optional<uint32_t> chmod;
    if (!ev.chmod.empty()) {
      uint32_t m = 0;
      auto rr = std::from_chars(ev.chmod.data(), ev.chmod.data() + ev.chmod.size(), m, 8);
      if (rr.ec == std::errc{}) chmod = m;
      else step.notes.push_back("--chmod \"" + ev.chmod + "\" is not an octal mode");
    }
    bool dest_dir = dest_slash;
    if (const FileNode* d = sr.fs.find(dest); d && d->is_dir()) dest_dir = true;
    uint64_t bytes = 0, wasted = 0, content = 0x0c0b;
    bool failed = false;
    auto make_parent = [&](const std::string& p) {
      std::string par(parent_path(p));
      sr.fs.mkdir_p(par, layer, owner.uid, owner.gid);
    };
    auto target_of = [&](bool root_dir, std::string_view rel) {
      if (rel.empty()) return dest;
      if (root_dir || dest_dir) return clean_abs(std::string(rel), dest);
      return dest;
    };
    auto seed_trap = [&]() {
      for (size_t i = 0; i < ev.words.size(); ++i)
        if (!ev.words[i].empty() && ev.words[i][0] == '#') {
          r_.diagnostics.note(step.instruction->as<ins::Copy>() ? cp->sources[std::min(i, cp->sources.size() - 1)].range
                                                                  : step.range,
                              "build/hash-not-comment",
                              "'#' starts a comment only at the beginning of a line: here '#' and the words after it "
                              "are more sources and the last word is the destination");
          return;
        }
    };
    // Heredoc sources.
    for (const auto& is : ev.inline_sources) {
      std::string t = (dest_dir || ev.inline_sources.size() > 1 || ev.words.size() > 0) ? clean_abs(is.name, dest) : dest;
      if (dest_slash) t = clean_abs(is.name, dest);
      FileNode n = file_node(is.content, layer, chmod.value_or(0644));
      n.uid = owner.uid;
      n.gid = owner.gid;
      content = mix(mix(content, t), n.hash);
      kp.inputs.emplace_back("<<" + is.name, n.hash);
      make_parent(t);
      put(sr, t, std::move(n), bytes, wasted);
    }
    if (!ev.from.empty()) {
      // From another stage or an external image.
      const stages::StageNode* dep = a_.graph.find(ev.from);
      if (dep && dep->index < r_.stages.size() && dep->index != s) {
        size_t from = dep->index;
        simulate_stage(from);
        const StageResult& fr = r_.stages[from];
        step.source_stages.push_back(from);
        kp.input_from = fr.label;
        for (size_t i = 0; i < ev.words.size(); ++i) {
          std::string src = clean_abs(ev.words[i]);
          bool found = false;
          auto roots = select_vfs(fr.fs, src, found);
          // A wildcard matching nothing is not an error, but an unmodelled step may have written
          // what it names (`COPY --from=build /app/target/*.jar app.jar` after `RUN ./build.sh`).
          const bool wild_empty = found && roots.empty() && context::has_wildcards(src);
          if (!found || wild_empty) {
            // Unknown is not absent: an unmodelled step of that stage could have written it, or
            // it is a system file of the base image (or of an installed package), which the
            // simulation does not model file by file (/etc/ssl/certs/ca-certificates.crt).
            std::string origin;
            uint64_t identity = 0;
            if (const Unmodelled* w = unmodelled_writer(from, src)) {
              origin = fmt::format("produced by an unmodelled step ({})", w->describe());
              identity = mix(mix(r_.steps[w->step].key, content_hash("unmodelled")), src);
            } else if (const catalog::Image* img = states_[from].image; img && !img->is_scratch() && is_system_path(src)) {
              origin = fmt::format("a system file of stage {} (its base image or an installed package), not modelled "
                                   "file by file",
                                   fr.label);
              uint64_t base_key = states_[from].layer_ids.empty() ? 0 : states_[from].layer_ids[0];
              identity = mix(mix(base_key, content_hash("base-system")), src);
            }
            if (wild_empty && !origin.starts_with("produced by")) origin.clear();  // system paths: no guess
            if (!origin.empty()) {
              bool dir = ev.words[i].ends_with('/') || !looks_like_file(src) || (wild_empty && dest_dir);
              std::string t = dir || wild_empty ? dest : target_of(false, base_name(src));
              FileNode n = unknown_node(dir, identity, layer, origin);
              n.uid = owner.uid;
              n.gid = owner.gid;
              if (chmod) n.mode = *chmod;
              content = mix(content, n.hash);
              kp.inputs.emplace_back(src, n.hash);
              make_parent(t);
              put(sr, t, std::move(n), bytes, wasted);
              step.estimated = true;
              step.unmodelled = true;
              step.notes.push_back(fmt::format("{} from stage {}: {}; {} unknown", ev.words[i], fr.label, origin,
                                               dir ? "contents and size" : "size"));
              r_.diagnostics.warning(
                  i < ev.word_ranges.size() ? ev.word_ranges[i] : step.range, "build/source-unverified",
                  fmt::format("source \"{}\" is not in the simulated stage {}: it could be {}; copied with unknown {} "
                              "(the result could not be checked)",
                              ev.words[i], fr.label, origin, dir ? "contents and size" : "size"));
              continue;
            }
            if (wild_empty) continue;
            failed = true;
            r_.diagnostics.error(i < ev.word_ranges.size() ? ev.word_ranges[i] : step.range, "build/source-not-found",
                                 fmt::format("source \"{}\" not found in stage {} (BuildKit: failed to compute cache key: "
                                             "failed to calculate checksum of ref: \"{}\": not found)",
                                             ev.words[i], fr.label, src));
            continue;
          }
          for (const auto& root : roots) {
            content = mix(content, subtree_identity(states_[from], fr.fs, root.path, &kp.inputs));
            const FileNode* rn = fr.fs.find(root.path);
            if (!root.dir && !(rn->is_dir() && rn->summary)) {
              std::string t = target_of(false, base_name(root.path));
              FileNode n = *rn;
              n.layer = layer;
              if (chmod) n.mode = *chmod;
              if (!ev.chown.empty()) n.uid = owner.uid, n.gid = owner.gid;
              if (!n.hash) n.hash = node_identity(states_[from], root.path, *rn);
              make_parent(t);
              put(sr, t, std::move(n), bytes, wasted);
              continue;
            }
            if (rn->summary) {
              // A directory modelled as one summary node (a build output): its contents land in
              // dest, so the summary moves there (existing entries below dest stay).
              FileNode n = *rn;
              n.layer = layer;
              if (chmod) n.mode = *chmod;
              if (!ev.chown.empty()) n.uid = owner.uid, n.gid = owner.gid;
              make_parent(dest);
              put(sr, dest, std::move(n), bytes, wasted);
            } else {
              sr.fs.mkdir_p(dest, layer, owner.uid, owner.gid);
            }
            fr.fs.for_each_under(root.path, [&](const std::string& p, const FileNode& fn) {
              std::string t = clean_abs(std::string(relative_to(p, root.path)), dest);
              FileNode n = fn;
              n.layer = layer;
              if (chmod) n.mode = *chmod;
              if (!ev.chown.empty()) n.uid = owner.uid, n.gid = owner.gid;
              if (!n.hash && !n.is_dir()) n.hash = node_identity(states_[from], p, fn);
              put(sr, t, std::move(n), bytes, wasted);
            });
          }
        }
        if (failed) seed_trap();
      } else {
        auto res = cat_->lookup(ev.from);
        kp.input_from = ev.from;
        content = mix(content, res.image.digest);
        for (const auto& w : ev.words) {
          std::string src = clean_abs(w);
          const catalog::Directory* known = nullptr;
          for (const auto& d : res.image.directories)
            if (clean_abs(d.path) == src) known = &d;
          uint64_t id = mix(content_hash(res.image.digest), src);
          FileNode n;
          std::string t;
          if (known) {
            t = target_of(false, base_name(src));
            n = summary_node(known->size, id, layer, "estimate: directory of image " + ev.from, true);
            if (!known->size) n.unknown = true;
            step.notes.push_back(fmt::format("{} from image {}: size from the catalog", w, ev.from));
          } else if (!w.ends_with('/') && looks_like_file(src)) {
            // A single file the catalog does not list (`/bin/busybox`, `/usr/local/bin/tini`).
            t = target_of(false, base_name(src));
            n = unknown_node(false, id, layer,
                             fmt::format("file of image {} not in the catalog: size estimated ({} MB, dfplay estimate)",
                                         ev.from, kImageFileBytes / 1'000'000));
            n.size = kImageFileBytes;
            n.mode = is_bin_dir(src) ? 0755 : 0644;
            step.notes.push_back(fmt::format("{} from image {}: a file not in the catalog, size estimated ({} MB)", w,
                                             ev.from, kImageFileBytes / 1'000'000));
          } else {
            const FileNode* d = sr.fs.find(dest);
            t = d && d->is_dir() ? clean_abs(base_name(src), dest) : dest;
            n = unknown_node(true, id, layer, fmt::format("directory of image {} not in the catalog: size unknown", ev.from));
            step.notes.push_back(fmt::format("{} from image {}: not in the catalog, contents and size unknown", w, ev.from));
          }
          if (n.unknown) step.unmodelled = true;
          n.uid = owner.uid;
          n.gid = owner.gid;
          if (chmod) n.mode = *chmod;
          make_parent(t);
          put(sr, t, std::move(n), bytes, wasted);
          step.estimated = true;
        }
      }
    } else {
      kp.input_from = "context";
      context::CopyOptions co;
      co.excludes = ev.excludes;
      co.parents = cp->parents;
      for (size_t i = 0; i < ev.words.size(); ++i) {
        const std::string& w = ev.words[i];
        if (is_add && (context::is_url(w) || context::is_git_source(w))) {
          bool git = context::is_git_source(w);
          std::string name = git ? "" : std::string(base_name(clean_abs(w.substr(w.find("://") + 3))));
          std::string t = git ? dest : target_of(false, name);
          uint64_t size = git ? 5'000'000 : 1'000'000;
          FileNode n = git ? summary_node(size, mix(content_hash("git"), w), layer, "estimate: git repository 5 MB", true)
                           : summary_node(size, mix(content_hash("url"), w), layer, "estimate: download 1 MB", true);
          n.summary = git;
          if (!git) n.type = NodeType::File;
          n.uid = owner.uid;
          n.gid = owner.gid;
          make_parent(t);
          put(sr, t, std::move(n), bytes, wasted);
          content = mix(content, w);
          kp.inputs.emplace_back(w, content_hash(w));
          step.estimated = true;
          step.notes.push_back(fmt::format("{} {}: content and size estimated (flagged); BuildKit re-checks it on every build",
                                           git ? "git source" : "URL", w));
          continue;
        }
        co.range = i < ev.word_ranges.size() ? ev.word_ranges[i] : step.range;
        context::CopySource src = context::resolve_copy_source(*view_, w, co);
        for (const auto& d : src.diagnostics) r_.diagnostics.add(d);
        if (!src.ok()) {
          failed = true;
          continue;
        }
        const auto& ctx = *ctx_;
        std::vector<bool> unpacked(src.roots.size(), false);
        for (size_t ri = 0; ri < src.roots.size(); ++ri) {
          const auto& root = src.roots[ri];
          content = mix(content, root.path);
          // ADD of a local archive: its members are extracted into dest (sim/archive_extract.h).
          if (is_add && !root.dir && ctx.is_file(root.entry)) {
            uint64_t id = context_identity(root.entry);
            ArchiveAddRequest rq{&ctx, root.entry, dest, layer, owner.uid, owner.gid, !ev.chown.empty(), id, {}};
            ArchiveAdd a = add_local_archive(rq, sr.fs, [&](const std::string& p, FileNode n) {
              put(sr, p, std::move(n), bytes, wasted);
            });
            if (a.handled) {
              unpacked[ri] = true;
              content = mix(content, id);
              kp.inputs.emplace_back(std::string(ctx.path(root.entry)), id);
              if (a.estimated) step.estimated = true;
              step.notes.push_back(a.note);
              if (a.failed) {
                failed = true;
                r_.diagnostics.error(co.range, "build/archive-corrupt", a.message);
              }
              continue;
            }
          }
          if (root.dir) sr.fs.mkdir_p(dest, layer, owner.uid, owner.gid);
        }
        for (const auto& item : src.items) {
          const auto& root = src.roots[item.root];
          if (unpacked[item.root]) continue;  // extracted above
          std::string_view rel = src.rel(ctx, item);
          std::string t = target_of(root.dir, rel);
          uint64_t id = context_identity(item.entry);
          content = mix(mix(content, rel), id);
          if (!ctx.is_dir(item.entry)) kp.inputs.emplace_back(std::string(ctx.path(item.entry)), id);
          FileNode n;
          if (ctx.is_dir(item.entry)) {
            n = dir_node(layer, chmod.value_or(ctx.mode(item.entry)));
          } else if (ctx.is_symlink(item.entry)) {
            n = symlink_node(std::string(ctx.symlink_target(item.entry)), layer);
            n.mode = 0777;
          } else {
            n = file_node(std::string(ctx.content(item.entry)), layer, chmod.value_or(ctx.mode(item.entry)));
            n.size = ctx.file_size(item.entry);
            n.hash = mix(ctx.digest(item.entry).hi, ctx.digest(item.entry).lo);
            if (!ctx.has_content(item.entry)) n.content.reset();
          }
          n.uid = owner.uid;
          n.gid = owner.gid;
          make_parent(t);
          put(sr, t, std::move(n), bytes, wasted);
        }
      }
      if (failed) seed_trap();
    }
    if (failed) {
      step.failed = true;
      r_.ok = false;
    }
    if (cp->link) {
      step.link_key = mix(mix(content_hash("copy-link"), kp.op), content);
      step.key = mix(mix(step.parent_key, content_hash("merge")), step.link_key);
    } else {
      step.key = mix(mix(mix(step.parent_key, content_hash("copy")), kp.op), content);
    }
    step.seconds = kCopyOverhead + static_cast<double>(bytes) / kCopyBytesPerSecond;
    static const std::string copy_time_source =
        fmt::format("estimate: {} MB/s copy + {} s", kCopyBytesPerSecond / 1e6, kCopyOverhead);
    step.time_source = copy_time_source;
    step.estimated = true;
    close_layer(s, step, bytes, wasted, step.estimated && bytes == 0 ? false : step.estimated, "");
    if (step.unmodelled) sr.layers.back().unknown = true;
    (void)ss;
  }

  void finish() {
    r_.target = a_.graph.target;
    // Critical path over the built stages.
    for (const auto& level : a_.graph.levels)
      for (size_t s : level) {
        if (s >= r_.stages.size()) continue;
        StageResult& sr = r_.stages[s];
        double start = 0;
        for (size_t d : sr.depends_on)
          if (d < r_.stages.size() && r_.stages[d].built) start = std::max(start, r_.stages[d].finish_seconds);
        sr.finish_seconds = start + sr.seconds;
        r_.serial_seconds += sr.seconds;
      }
    if (r_.target >= r_.stages.size()) return;
    const StageResult& t = r_.stages[r_.target];
    r_.cold_seconds = t.finish_seconds;
    for (const auto& s : r_.stages)
      if (s.built) r_.cold_seconds = std::max(r_.cold_seconds, s.finish_seconds);
    r_.layers = t.layers;
    uint64_t layer_bytes = 0;
    for (const auto& l : t.layers) {
      layer_bytes += l.size_bytes;
      r_.wasted_bytes += l.wasted_bytes;
    }
    r_.size_bytes = t.base_bytes + layer_bytes;
    r_.compression_ratio = kCompressionRatio;
    r_.compressed_size_bytes =
        t.base_compressed_bytes + static_cast<uint64_t>(static_cast<double>(layer_bytes) * kCompressionRatio);
    r_.efficiency = r_.size_bytes ? 1.0 - static_cast<double>(r_.wasted_bytes) / static_cast<double>(r_.size_bytes) : 1.0;
    r_.config = a_.eval.stages[r_.target].config;
    for (const auto& [path, n] : t.fs.entries()) {
      if (n.layer == 0 || path == "/") continue;
      ImageFile f;
      f.path = path;
      f.type = n.type;
      f.size = n.size;
      f.mode = n.mode;
      f.uid = n.uid;
      f.gid = n.gid;
      f.link = n.link;
      f.layer = n.layer;
      f.summary = n.summary;
      f.estimated = n.estimated;
      f.unknown = n.unknown;
      if (n.unknown) f.source = n.source;
      r_.files.push_back(std::move(f));
    }
    // Single-stage alternative: the stage the target copies the most bytes from.
    std::unordered_map<size_t, uint64_t> copied;
    for (size_t id : t.steps) {
      const Step& st = r_.steps[id];
      if (st.kind == StepKind::Copy || st.kind == StepKind::Add)
        for (size_t src : st.source_stages) copied[src] += st.layer_bytes + 1;
    }
    size_t best = r_.target;
    uint64_t best_bytes = 0;
    for (const auto& [src, b] : copied)
      if (b > best_bytes || (b == best_bytes && src < best)) best = src, best_bytes = b;
    r_.single_stage = best;
    r_.single_stage_size_bytes = r_.stages[best].size_bytes;
    r_.saving_bytes = r_.single_stage_size_bytes > r_.size_bytes ? r_.single_stage_size_bytes - r_.size_bytes : 0;
    r_.estimates.push_back(fmt::format("compressed size: layers x {} (typical gzip ratio of binaries, node_modules and "
                                       "text; base images use their registry compressed size from the catalog)",
                                       kCompressionRatio));
    r_.estimates.push_back(fmt::format("pull time: {} MB/s + {} s; copy: {} MB/s + {} s; RUN: sim/effects figures",
                                       kPullBytesPerSecond / 1e6, kPullOverhead, kCopyBytesPerSecond / 1e6, kCopyOverhead));
  }

  const Analysis& a_;
  const BuildOptions& opts_;
  uint64_t nonce_ = 0;
  RunCache* run_cache_ = nullptr;
  BuildResult& r_;
  const catalog::Catalog* cat_ = nullptr;
  context::BuildContext empty_ctx_;
  const context::BuildContext* ctx_ = nullptr;
  std::shared_ptr<const context::FilteredContext> view_;

  void summarise_context() {
    ContextSummary& cs = r_.context;
    cs.ignore_file = r_.ignore->path;
    cs.before = view_->before();
    cs.after = view_->after();
    const context::BuildContext& c = *ctx_;
    for (uint32_t i = 1; i < c.size();) {
      if (view_->visibility(i) == context::Visibility::Excluded) {
        ++cs.excluded_count;
        if (cs.excluded.size() < ContextSummary::kMaxListed)
          cs.excluded.push_back(std::string(c.path(i)) + (c.is_dir(i) ? "/" : ""));
        // An excluded directory: its contents are not listed (an exception inside it is rare and
        // still counted in `after`).
        i = c.is_dir(i) ? c.subtree_end(i) : i + 1;
        continue;
      }
      ++i;
    }
  }
  std::vector<StageState> states_;
  std::vector<std::vector<size_t>> step_of_;
  std::vector<size_t> order_;  // the built stages in simulation order (prepare())
  size_t next_ = 0;            // order_[next_] is simulated next
  std::string platform_;  // a_.platform.str()
  std::string buf_;       // see joined()
  // See base_fs(): (image, from.key) -> the filesystem a stage on that base starts with.
  std::deque<std::tuple<const catalog::Image*, uint64_t, Vfs>> base_fs_;
  // See run_env(): the last key environment and the snapshots it was made from (the snapshots
  // live in a_.eval for the whole build, so their ids are not reused).
  bool run_env_valid_ = false;
  const void* run_env_ids_[2] = {nullptr, nullptr};
  stages::Shared<Vars> run_env_;
  stages::Shared<std::vector<std::string>> run_arg_names_;
};

}  // namespace

std::shared_ptr<const Effect> RunCache::find(uint64_t key) {
  if (auto it = now_.find(key); it != now_.end()) return it->second;
  if (auto it = before_.find(key); it != before_.end()) {
    std::shared_ptr<const Effect> e = it->second;
    store(key, e);
    return e;
  }
  return nullptr;
}

void RunCache::store(uint64_t key, std::shared_ptr<const Effect> effect) {
  if (now_.size() >= kGeneration) {
    before_ = std::move(now_);
    now_.clear();
  }
  now_.emplace(key, std::move(effect));
}

void RunCache::clear() {
  now_.clear();
  before_.clear();
}

struct Simulation::Impl {
  enum class Phase { Start, Stages, Finish, Done };
  std::unique_ptr<BuildResult> r;
  uint64_t nonce = 0;
  RunCache* run_cache = nullptr;
  std::optional<Builder> builder;
  Phase phase = Phase::Start;
};

Simulation::Simulation(std::shared_ptr<const Analysis> analysis, uint64_t nonce, RunCache* run_cache)
    : impl_(std::make_unique<Impl>()) {
  impl_->r = std::make_unique<BuildResult>();
  impl_->r->analysis = std::move(analysis);
  impl_->nonce = nonce;
  impl_->run_cache = run_cache;
}

Simulation::~Simulation() = default;
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;

bool Simulation::done() const { return impl_->phase == Impl::Phase::Done; }

bool Simulation::step() {
  Impl& m = *impl_;
  BuildResult& r = *m.r;
  switch (m.phase) {
    case Impl::Phase::Start: {
      const Analysis& a = *r.analysis;
      r.diagnostics = a.diagnostics;
      if (a.program.stages.empty()) {
        r.ignore = std::make_shared<context::IgnoreFile>();
        r.ok = false;
        if (!r.diagnostics.has_errors())
          r.diagnostics.error(Range{}, "build/no-stage", "the Dockerfile has no FROM instruction");
        m.phase = Impl::Phase::Done;
        return false;
      }
      if (r.diagnostics.has_errors()) r.ok = false;
      m.builder.emplace(a, m.nonce, m.run_cache, r);  // the .dockerignore and the context summary
      m.builder->prepare();
      m.phase = Impl::Phase::Stages;
      return true;
    }
    case Impl::Phase::Stages:
      if (m.builder->simulate_next()) return true;
      m.phase = Impl::Phase::Finish;
      [[fallthrough]];
    case Impl::Phase::Finish:
      m.builder->complete();
      m.builder.reset();
      if (r.diagnostics.has_errors()) r.ok = false;
      m.phase = Impl::Phase::Done;
      return false;
    case Impl::Phase::Done:
      return false;
  }
  return false;
}

std::unique_ptr<BuildResult> Simulation::take() {
  while (step()) {
  }
  return std::move(impl_->r);
}

std::unique_ptr<BuildResult> simulate_build(std::shared_ptr<const Analysis> analysis, uint64_t nonce,
                                            RunCache* run_cache) {
  return Simulation(std::move(analysis), nonce, run_cache).take();
}

}  // namespace dfplay::sim
