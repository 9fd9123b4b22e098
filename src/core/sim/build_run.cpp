// The builder's RUN step (builder.h): its environment, cache key and simulated effects.
#include "sim/builder.h"

namespace dfplay::sim::detail {

// A RUN's key environment: ENV, then the ARGs with values (and their names). Consecutive RUNs
// that see the same ENV and ARGs snapshots (stages/eval.h) share one copy.
void Builder::run_env(const stages::StepEval& ev, KeyParts& kp) {
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

namespace {

// The operation of a RUN as its cache key spells it: the argv joined by NULs, exec form as
// written (`argv`), shell form SHELL + the script (`script`, heredocs included).
void run_operation(const ins::Run& run, const stages::StepEval& ev, KeyParts& kp, std::vector<std::string>& argv,
                   std::string& script) {
  if (run.json) {
    for (const auto& w : run.args) argv.push_back(w.text);
    for (size_t i = 0; i < argv.size(); ++i) {
      if (i) kp.op += '\0';
      kp.op += argv[i];
    }
    return;
  }
  std::string_view line = run.args.empty() ? std::string_view() : std::string_view(run.args[0].text);
  std::vector<HeredocFile> files;
  for (const auto& h : run.files) files.push_back(HeredocFile{h.name, h.content, h.chomp});
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

}  // namespace

void Builder::do_run(size_t s, Step& step, const stages::StepEval& ev) {
  StageResult& sr = r_.stages[s];
  StageState& ss = states_[s];
  const auto* run = step.instruction->as<ins::Run>();
  std::vector<std::string> argv;  // exec form
  std::string script;             // shell form
  KeyParts& kp = step.parts;
  run_operation(*run, ev, kp, argv, script);
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
  std::vector<MountInfo> mounts;
  std::vector<std::unique_ptr<Vfs>> owned;  // the bind mounts' filesystems (context sources)
  for (const auto& m : ev.mounts) mounts.push_back(run_mount(s, step, ev, m, owned));
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
  record_run_facts(s, step, eff, layer, bytes, wasted);
}

// One RUN --mount: what the effects see (MountInfo) and its part of the key (KeyParts::mounts).
MountInfo Builder::run_mount(size_t s, Step& step, const stages::StepEval& ev, const stages::ExpandedMount& m,
                             std::vector<std::unique_ptr<Vfs>>& owned) {
  KeyParts& kp = step.parts;
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
        content = bind_context(src, *v, inputs);
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
  return mi;
}

// A bind mount of the build context's `src` (what .dockerignore lets through) as a filesystem of
// its own (`v`); returns the content's identity and lists its files in `inputs`.
uint64_t Builder::bind_context(const std::string& src, Vfs& v, std::vector<std::pair<std::string, uint64_t>>& inputs) {
  std::string rel = src == "/" ? "" : src.substr(1);
  uint32_t e = view_->resolve(rel, true);
  uint64_t h = 0x6b1d;
  if (e == context::BuildContext::npos) return mix(h, "missing " + src);
  auto add = [&](uint32_t x) {
    std::string p = "/" + std::string(ctx_->path(x));
    uint64_t id = context_identity(x);
    h = mix(mix(h, p), id);
    if (!ctx_->is_dir(x)) inputs.emplace_back(std::string(ctx_->path(x)), id);
    if (ctx_->is_file(x)) {
      FileNode fn = file_node(std::string(ctx_->content(x)), 0, ctx_->mode(x));
      fn.size = ctx_->file_size(x);
      v.put(p, fn);
    } else if (ctx_->is_dir(x)) {
      v.mkdir_p(p, 0);
    }
  };
  add(e);
  for (uint32_t x = e + 1; x < ctx_->subtree_end(e); ++x)
    if (view_->visible(x)) add(x);
  return h;
}

// What a RUN's effect tells about the step: time, notes, its layer, the bytes it leaves in
// package-manager download directories, its layer's identity, and an unmodelled command.
void Builder::record_run_facts(size_t s, Step& step, const Effect& eff, uint32_t layer, uint64_t bytes,
                               uint64_t wasted) {
  StageResult& sr = r_.stages[s];
  StageState& ss = states_[s];
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

}  // namespace dfplay::sim::detail
