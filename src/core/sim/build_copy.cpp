// The builder's COPY and ADD steps (builder.h): sources from the context, another stage or an image, archives and URLs.
#include "sim/builder.h"

#include <charconv>

namespace dfplay::sim::detail {

namespace {

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

}  // namespace

// A COPY --from source the model of stage `from` lacks: the unmodelled step that could have
// produced it (the last one whose likely paths contain it, else the last one), or nullptr when
// every step of that stage is modelled (then the source is really missing).
const Unmodelled* Builder::unmodelled_writer(size_t from, const std::string& src) const {
  const auto& list = states_[from].unmodelled;
  for (auto it = list.rbegin(); it != list.rend(); ++it)
    for (const auto& p : it->paths)
      if (is_within(src, p)) return &*it;
  return list.empty() ? nullptr : &list.back();
}

std::vector<Builder::VfsRoot> Builder::select_vfs(const Vfs& fs, const std::string& src, bool& found) {
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
  if (prefix.empty()) prefix.push_back('/');  // (not = "/": gcc 12 warns -Wrestrict falsely here)
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

void Builder::do_copy(size_t s, Step& step, const stages::StepEval& ev) {
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

}  // namespace dfplay::sim::detail
