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

namespace {

// The operation of a COPY/ADD as its cache key spells it:
// "{ADD|COPY} dest={} chown={} chmod={} link={} from={} parents={} excludes={,} sources={\x1f}"
std::string copy_operation(bool is_add, const ins::Copy& cp, const stages::StepEval& ev, const std::string& dest) {
  std::string op = is_add ? "ADD" : "COPY";
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
  field("link", cp.link ? "true" : "false");
  field("from", ev.from);
  field("parents", cp.parents ? "true" : "false");
  list("excludes", ev.excludes, ',');
  list("sources", ev.words, '\x1f');
  if (cp.checksum) op += " checksum=" + cp.checksum->text;
  return op;
}

}  // namespace

std::string Builder::CopyJob::target_of(bool root_dir, std::string_view rel) const {
  if (rel.empty()) return dest;
  if (root_dir || dest_dir) return clean_abs(std::string(rel), dest);
  return dest;
}

void Builder::do_copy(size_t s, Step& step, const stages::StepEval& ev) {
  const ins::Copy* cp = step.instruction->as<ins::Copy>();
  if (!cp) cp = step.instruction->as<ins::Add>();
  CopyJob j(s, r_.stages[s], step, ev, *cp, step.kind == StepKind::Add);
  KeyParts& kp = step.parts;
  j.dest = clean_abs(ev.dest, ev.workdir);
  j.dest_slash = !ev.dest.empty() && (ev.dest.back() == '/' || ev.dest == "." || ev.dest.ends_with("/."));
  kp.op = copy_operation(j.is_add, *cp, ev, j.dest);
  kp.user = ev.user;
  j.layer = open_layer(s, step);
  j.owner = resolve_owner(j.sr, s, ev.chown, step);
  if (!j.owner.ok) j.owner = {};
  if (!ev.chmod.empty()) {
    uint32_t m = 0;
    auto rr = std::from_chars(ev.chmod.data(), ev.chmod.data() + ev.chmod.size(), m, 8);
    if (rr.ec == std::errc{}) j.chmod = m;
    else step.notes.push_back("--chmod \"" + ev.chmod + "\" is not an octal mode");
  }
  j.dest_dir = j.dest_slash;
  if (const FileNode* d = j.sr.fs.find(j.dest); d && d->is_dir()) j.dest_dir = true;
  copy_heredocs(j);
  if (!ev.from.empty()) {
    // From another stage or an external image.
    const stages::StageNode* dep = a_.graph.find(ev.from);
    if (dep && dep->index < r_.stages.size() && dep->index != s) {
      copy_from_stage(j, dep->index);
      if (j.failed) note_hash_comment(j);
    } else {
      copy_from_image(j);
    }
  } else {
    copy_from_context(j);
    if (j.failed) note_hash_comment(j);
  }
  if (j.failed) {
    step.failed = true;
    r_.ok = false;
  }
  if (cp->link) {
    step.link_key = mix(mix(content_hash("copy-link"), kp.op), j.content);
    step.key = mix(mix(step.parent_key, content_hash("merge")), step.link_key);
  } else {
    step.key = mix(mix(mix(step.parent_key, content_hash("copy")), kp.op), j.content);
  }
  step.seconds = kCopyOverhead + static_cast<double>(j.bytes) / kCopyBytesPerSecond;
  static const std::string copy_time_source =
      fmt::format("estimate: {} MB/s copy + {} s", kCopyBytesPerSecond / 1e6, kCopyOverhead);
  step.time_source = copy_time_source;
  step.estimated = true;
  close_layer(s, step, j.bytes, j.wasted, step.estimated && j.bytes == 0 ? false : step.estimated, "");
  if (step.unmodelled) j.sr.layers.back().unknown = true;
}

void Builder::copy_put(CopyJob& j, const std::string& t, FileNode n) {
  j.sr.fs.mkdir_p(std::string(parent_path(t)), j.layer, j.owner.uid, j.owner.gid);
  put(j.sr, t, std::move(n), j.bytes, j.wasted);
}

// A failed COPY whose sources hold a word starting with '#': most likely a comment written at
// the end of the line, which Dockerfiles do not have.
void Builder::note_hash_comment(CopyJob& j) {
  const auto& words = j.ev.words;
  for (size_t i = 0; i < words.size(); ++i)
    if (!words[i].empty() && words[i][0] == '#') {
      r_.diagnostics.note(j.step.instruction->as<ins::Copy>() ? j.cp.sources[std::min(i, j.cp.sources.size() - 1)].range
                                                                : j.step.range,
                          "build/hash-not-comment",
                          "'#' starts a comment only at the beginning of a line: here '#' and the words after it "
                          "are more sources and the last word is the destination");
      return;
    }
}

// Heredoc sources (COPY <<EOF dest).
void Builder::copy_heredocs(CopyJob& j) {
  const auto& ev = j.ev;
  for (const auto& is : ev.inline_sources) {
    std::string t =
        (j.dest_dir || ev.inline_sources.size() > 1 || ev.words.size() > 0) ? clean_abs(is.name, j.dest) : j.dest;
    if (j.dest_slash) t = clean_abs(is.name, j.dest);
    FileNode n = file_node(is.content, j.layer, j.chmod.value_or(0644));
    n.uid = j.owner.uid;
    n.gid = j.owner.gid;
    j.content = mix(mix(j.content, t), n.hash);
    j.step.parts.inputs.emplace_back("<<" + is.name, n.hash);
    copy_put(j, t, std::move(n));
  }
}

// COPY --from=<stage>: each source looked up in that stage's simulated filesystem.
void Builder::copy_from_stage(CopyJob& j, size_t from) {
  simulate_stage(from);
  const StageResult& fr = r_.stages[from];
  j.step.source_stages.push_back(from);
  j.step.parts.input_from = fr.label;
  const auto& words = j.ev.words;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string src = clean_abs(words[i]);
    bool found = false;
    auto roots = select_vfs(fr.fs, src, found);
    // A wildcard matching nothing is not an error, but an unmodelled step may have written
    // what it names (`COPY --from=build /app/target/*.jar app.jar` after `RUN ./build.sh`).
    const bool wild_empty = found && roots.empty() && context::has_wildcards(src);
    if (!found || wild_empty) {
      if (copy_unverified(j, from, i, src, wild_empty) || wild_empty) continue;
      j.failed = true;
      r_.diagnostics.error(i < j.ev.word_ranges.size() ? j.ev.word_ranges[i] : j.step.range, "build/source-not-found",
                           fmt::format("source \"{}\" not found in stage {} (BuildKit: failed to compute cache key: "
                                       "failed to calculate checksum of ref: \"{}\": not found)",
                                       words[i], fr.label, src));
      continue;
    }
    for (const auto& root : roots) copy_stage_root(j, from, root);
  }
}

// A COPY --from source missing from the model of stage `from`. Unknown is not absent: an
// unmodelled step of that stage could have written it, or it is a system file of the base image
// (or of an installed package), which the simulation does not model file by file
// (/etc/ssl/certs/ca-certificates.crt). Then it is copied as unknown (true); false when nothing
// could have produced it.
bool Builder::copy_unverified(CopyJob& j, size_t from, size_t i, const std::string& src, bool wild_empty) {
  const StageResult& fr = r_.stages[from];
  const std::string& word = j.ev.words[i];
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
  if (origin.empty()) return false;
  bool dir = word.ends_with('/') || !looks_like_file(src) || (wild_empty && j.dest_dir);
  std::string t = dir || wild_empty ? j.dest : j.target_of(false, base_name(src));
  FileNode n = unknown_node(dir, identity, j.layer, origin);
  n.uid = j.owner.uid;
  n.gid = j.owner.gid;
  if (j.chmod) n.mode = *j.chmod;
  j.content = mix(j.content, n.hash);
  j.step.parts.inputs.emplace_back(src, n.hash);
  copy_put(j, t, std::move(n));
  j.step.estimated = true;
  j.step.unmodelled = true;
  j.step.notes.push_back(
      fmt::format("{} from stage {}: {}; {} unknown", word, fr.label, origin, dir ? "contents and size" : "size"));
  r_.diagnostics.warning(i < j.ev.word_ranges.size() ? j.ev.word_ranges[i] : j.step.range, "build/source-unverified",
                         fmt::format("source \"{}\" is not in the simulated stage {}: it could be {}; copied with "
                                     "unknown {} (the result could not be checked)",
                                     word, fr.label, origin, dir ? "contents and size" : "size"));
  return true;
}

// One selected entry of stage `from`: a file (to dest or into it), a summary directory (moved to
// dest) or a directory whose contents land in dest.
void Builder::copy_stage_root(CopyJob& j, size_t from, const VfsRoot& root) {
  const StageResult& fr = r_.stages[from];
  const bool chown = !j.ev.chown.empty();
  auto adopt = [&](FileNode& n) {
    n.layer = j.layer;
    if (j.chmod) n.mode = *j.chmod;
    if (chown) n.uid = j.owner.uid, n.gid = j.owner.gid;
  };
  j.content = mix(j.content, subtree_identity(states_[from], fr.fs, root.path, &j.step.parts.inputs));
  const FileNode* rn = fr.fs.find(root.path);
  if (!root.dir && !(rn->is_dir() && rn->summary)) {
    std::string t = j.target_of(false, base_name(root.path));
    FileNode n = *rn;
    adopt(n);
    if (!n.hash) n.hash = node_identity(states_[from], root.path, *rn);
    copy_put(j, t, std::move(n));
    return;
  }
  if (rn->summary) {
    // A directory modelled as one summary node (a build output): its contents land in
    // dest, so the summary moves there (existing entries below dest stay).
    FileNode n = *rn;
    adopt(n);
    copy_put(j, j.dest, std::move(n));
  } else {
    j.sr.fs.mkdir_p(j.dest, j.layer, j.owner.uid, j.owner.gid);
  }
  fr.fs.for_each_under(root.path, [&](const std::string& p, const FileNode& fn) {
    std::string t = clean_abs(std::string(relative_to(p, root.path)), j.dest);
    FileNode n = fn;
    adopt(n);
    if (!n.hash && !n.is_dir()) n.hash = node_identity(states_[from], p, fn);
    put(j.sr, t, std::move(n), j.bytes, j.wasted);
  });
}

// COPY --from=<image> (not a stage): directories the catalog lists, single files (estimated),
// other directories (unknown).
void Builder::copy_from_image(CopyJob& j) {
  const auto& ev = j.ev;
  Step& step = j.step;
  auto res = cat_->lookup(ev.from);
  step.parts.input_from = ev.from;
  j.content = mix(j.content, res.image.digest);
  for (const auto& w : ev.words) {
    std::string src = clean_abs(w);
    const catalog::Directory* known = nullptr;
    for (const auto& d : res.image.directories)
      if (clean_abs(d.path) == src) known = &d;
    uint64_t id = mix(content_hash(res.image.digest), src);
    FileNode n;
    std::string t;
    if (known) {
      t = j.target_of(false, base_name(src));
      n = summary_node(known->size, id, j.layer, "estimate: directory of image " + ev.from, true);
      if (!known->size) n.unknown = true;
      step.notes.push_back(fmt::format("{} from image {}: size from the catalog", w, ev.from));
    } else if (!w.ends_with('/') && looks_like_file(src)) {
      // A single file the catalog does not list (`/bin/busybox`, `/usr/local/bin/tini`).
      t = j.target_of(false, base_name(src));
      n = unknown_node(false, id, j.layer,
                       fmt::format("file of image {} not in the catalog: size estimated ({} MB, dfplay estimate)",
                                   ev.from, kImageFileBytes / 1'000'000));
      n.size = kImageFileBytes;
      n.mode = is_bin_dir(src) ? 0755 : 0644;
      step.notes.push_back(fmt::format("{} from image {}: a file not in the catalog, size estimated ({} MB)", w,
                                       ev.from, kImageFileBytes / 1'000'000));
    } else {
      const FileNode* d = j.sr.fs.find(j.dest);
      t = d && d->is_dir() ? clean_abs(base_name(src), j.dest) : j.dest;
      n = unknown_node(true, id, j.layer, fmt::format("directory of image {} not in the catalog: size unknown", ev.from));
      step.notes.push_back(fmt::format("{} from image {}: not in the catalog, contents and size unknown", w, ev.from));
    }
    if (n.unknown) step.unmodelled = true;
    n.uid = j.owner.uid;
    n.gid = j.owner.gid;
    if (j.chmod) n.mode = *j.chmod;
    copy_put(j, t, std::move(n));
    step.estimated = true;
  }
}

// Sources from the build context (what .dockerignore lets through), and ADD's URLs and git
// repositories.
void Builder::copy_from_context(CopyJob& j) {
  const auto& ev = j.ev;
  j.step.parts.input_from = "context";
  context::CopyOptions co;
  co.excludes = ev.excludes;
  co.parents = j.cp.parents;
  for (size_t i = 0; i < ev.words.size(); ++i) {
    const std::string& w = ev.words[i];
    if (j.is_add && (context::is_url(w) || context::is_git_source(w))) {
      add_remote(j, w);
      continue;
    }
    co.range = i < ev.word_ranges.size() ? ev.word_ranges[i] : j.step.range;
    context::CopySource src = context::resolve_copy_source(*view_, w, co);
    for (const auto& d : src.diagnostics) r_.diagnostics.add(d);
    if (!src.ok()) {
      j.failed = true;
      continue;
    }
    copy_context_source(j, src, co.range);
  }
}

// ADD <url> / ADD <git repository>: content and size estimated.
void Builder::add_remote(CopyJob& j, const std::string& w) {
  bool git = context::is_git_source(w);
  std::string name = git ? "" : std::string(base_name(clean_abs(w.substr(w.find("://") + 3))));
  std::string t = git ? j.dest : j.target_of(false, name);
  uint64_t size = git ? 5'000'000 : 1'000'000;
  FileNode n = git ? summary_node(size, mix(content_hash("git"), w), j.layer, "estimate: git repository 5 MB", true)
                   : summary_node(size, mix(content_hash("url"), w), j.layer, "estimate: download 1 MB", true);
  n.summary = git;
  if (!git) n.type = NodeType::File;
  n.uid = j.owner.uid;
  n.gid = j.owner.gid;
  copy_put(j, t, std::move(n));
  j.content = mix(j.content, w);
  j.step.parts.inputs.emplace_back(w, content_hash(w));
  j.step.estimated = true;
  j.step.notes.push_back(fmt::format("{} {}: content and size estimated (flagged); BuildKit re-checks it on every build",
                                     git ? "git source" : "URL", w));
}

// One resolved context source: ADD extracts a local archive into dest; otherwise every item
// (file, directory, symlink) lands at its target.
void Builder::copy_context_source(CopyJob& j, const context::CopySource& src, const Range& range) {
  const auto& ctx = *ctx_;
  KeyParts& kp = j.step.parts;
  std::vector<bool> unpacked(src.roots.size(), false);
  for (size_t ri = 0; ri < src.roots.size(); ++ri) {
    const auto& root = src.roots[ri];
    j.content = mix(j.content, root.path);
    // ADD of a local archive: its members are extracted into dest (sim/archive_extract.h).
    if (j.is_add && !root.dir && ctx.is_file(root.entry)) {
      uint64_t id = context_identity(root.entry);
      ArchiveAddRequest rq{&ctx, root.entry, j.dest, j.layer, j.owner.uid, j.owner.gid, !j.ev.chown.empty(), id, {}};
      ArchiveAdd a = add_local_archive(rq, j.sr.fs, [&](const std::string& p, FileNode n) {
        put(j.sr, p, std::move(n), j.bytes, j.wasted);
      });
      if (a.handled) {
        unpacked[ri] = true;
        j.content = mix(j.content, id);
        kp.inputs.emplace_back(std::string(ctx.path(root.entry)), id);
        if (a.estimated) j.step.estimated = true;
        j.step.notes.push_back(a.note);
        if (a.failed) {
          j.failed = true;
          r_.diagnostics.error(range, "build/archive-corrupt", a.message);
        }
        continue;
      }
    }
    if (root.dir) j.sr.fs.mkdir_p(j.dest, j.layer, j.owner.uid, j.owner.gid);
  }
  for (const auto& item : src.items) {
    const auto& root = src.roots[item.root];
    if (unpacked[item.root]) continue;  // extracted above
    std::string_view rel = src.rel(ctx, item);
    std::string t = j.target_of(root.dir, rel);
    uint64_t id = context_identity(item.entry);
    j.content = mix(mix(j.content, rel), id);
    if (!ctx.is_dir(item.entry)) kp.inputs.emplace_back(std::string(ctx.path(item.entry)), id);
    FileNode n;
    if (ctx.is_dir(item.entry)) {
      n = dir_node(j.layer, j.chmod.value_or(ctx.mode(item.entry)));
    } else if (ctx.is_symlink(item.entry)) {
      n = symlink_node(std::string(ctx.symlink_target(item.entry)), j.layer);
      n.mode = 0777;
    } else {
      n = file_node(std::string(ctx.content(item.entry)), j.layer, j.chmod.value_or(ctx.mode(item.entry)));
      n.size = ctx.file_size(item.entry);
      n.hash = mix(ctx.digest(item.entry).hi, ctx.digest(item.entry).lo);
      if (!ctx.has_content(item.entry)) n.content.reset();
    }
    n.uid = j.owner.uid;
    n.gid = j.owner.gid;
    copy_put(j, t, std::move(n));
  }
}

}  // namespace dfplay::sim::detail
