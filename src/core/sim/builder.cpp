// The builder behind sim::simulate_build (builder.h): its set-up, the stage-by-stage driver,
// FROM and WORKDIR steps, owners, content identities, layers and the image summary. RUN is in
// build_run.cpp, COPY/ADD in build_copy.cpp.
#include "sim/builder.h"

#include <charconv>
#include <cstring>

namespace dfplay::sim::detail {

namespace {

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

// What the build sends, summed up for the report: totals before and after .dockerignore, the
// excluded paths (an excluded directory's contents are not listed: an exception inside it is
// rare and still counted in `after`).
void summarise_context(const context::BuildContext& c, const context::FilteredContext& view, BuildResult& r) {
  ContextSummary& cs = r.context;
  cs.ignore_file = r.ignore->path;
  cs.before = view.before();
  cs.after = view.after();
  for (uint32_t i = 1; i < c.size();) {
    if (view.visibility(i) == context::Visibility::Excluded) {
      ++cs.excluded_count;
      if (cs.excluded.size() < ContextSummary::kMaxListed)
        cs.excluded.push_back(std::string(c.path(i)) + (c.is_dir(i) ? "/" : ""));
      i = c.is_dir(i) ? c.subtree_end(i) : i + 1;
      continue;
    }
    ++i;
  }
}

}  // namespace

std::shared_ptr<const context::FilteredContext> send_context(const Analysis& a, const context::BuildContext& ctx,
                                                             BuildResult& r) {
  r.ignore = std::make_shared<context::IgnoreFile>(context::load_dockerignore(ctx, a.file_name));
  auto sent = std::make_shared<const context::FilteredContext>(ctx, *r.ignore);
  r.sent = sent;
  for (const auto& d : r.ignore->diagnostics) r.diagnostics.add(d);
  for (const auto& d : ctx.diagnostics())  // the context's limit (its other notes are warnings of the loader)
    if (d.code.starts_with("limits/")) r.diagnostics.add(d);
  summarise_context(ctx, *sent, r);
  return sent;
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

Builder::Builder(const Analysis& a, uint64_t nonce, RunCache* run_cache, BuildResult& r)
    : a_(a), opts_(a.options), nonce_(nonce), run_cache_(run_cache), r_(r) {
  cat_ = a.catalog;
  if (a.context) ctx_ = a.context;
  else ctx_ = &empty_ctx_;
  platform_ = a.platform.str();
  view_ = send_context(a, *ctx_, r_);
  // The empty context is the Builder's own and dies with it: the result keeps no walk of it
  // (BuildResult::sent is null without a context, as its comment says).
  if (!a.context) r_.sent.reset();
}

// run() in steps (Simulation, below): prepare() lays out every step, each simulate_next()
// simulates one built stage (levels in order, dependencies first) and says whether one was
// left, complete() sums the image up.
void Builder::prepare() {
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

size_t Builder::add_step(size_t s, StepKind k, const ins::Instruction* ins) {
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

std::optional<std::pair<uint32_t, uint32_t>> Builder::lookup_account(const StageResult& sr, const catalog::Image* img,
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

Builder::Owner Builder::resolve_owner(const StageResult& sr, size_t s, std::string_view spec, Step& step) {
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
uint64_t Builder::node_identity(const StageState& ss, const std::string& path, const FileNode& n) const {
  uint64_t h = mix(static_cast<uint64_t>(n.type), static_cast<uint64_t>(n.mode));
  h = mix(h, (static_cast<uint64_t>(n.uid) << 32) | n.gid);
  if (n.is_symlink()) return mix(h, n.link);
  if (n.is_dir() && !n.summary) return h;
  if (n.hash) return mix(h, n.hash);
  uint64_t layer_id = n.layer < ss.layer_ids.size() ? ss.layer_ids[n.layer] : 0;
  return mix(mix(h, layer_id), path);
}

uint64_t Builder::subtree_identity(const StageState& ss, const Vfs& fs, const std::string& path,
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

uint64_t Builder::context_identity(uint32_t e) const {
  const auto& ctx = *ctx_;
  uint64_t h = mix(static_cast<uint64_t>(ctx.type(e)), static_cast<uint64_t>(ctx.mode(e)));
  if (ctx.is_symlink(e)) return mix(h, ctx.symlink_target(e));
  if (ctx.is_file(e)) return mix(mix(h, ctx.digest(e).hi), ctx.digest(e).lo);
  return h;
}

// ---- layers --------------------------------------------------------------------------------
uint32_t Builder::open_layer(size_t s, Step& step) {
  StageResult& sr = r_.stages[s];
  Layer l;
  l.stage = s;
  l.step = step.id;
  l.instruction = first_line(step.text);
  sr.layers.push_back(std::move(l));
  states_[s].layer_ids.resize(sr.layers.size() + 1, 0);
  return static_cast<uint32_t>(sr.layers.size());
}

void Builder::close_layer(size_t s, Step& step, uint64_t bytes, uint64_t wasted, bool estimated, std::string source) {
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

// ---- stages --------------------------------------------------------------------------------
void Builder::simulate_stage(size_t s) {
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
const Vfs& Builder::base_fs(const catalog::Image& image, uint64_t from_key) {
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

void Builder::do_workdir(size_t s, Step& step, const stages::StepEval& ev) {
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

void Builder::finish() {
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

}  // namespace dfplay::sim::detail
