#include "sim/archive_extract.h"

#include <fmt/format.h>

namespace dfplay::sim {

namespace {

bool sniffed_archive(context::Sniff s) {
  using context::Sniff;
  return s == Sniff::Tar || s == Sniff::Gzip || s == Sniff::Bzip2 || s == Sniff::Xz || s == Sniff::Zstd;
}

// Today's estimate: one summary entry at DEST/<name>.contents.
ArchiveAdd estimate(const ArchiveAddRequest& req, Vfs& fs, const ArchivePut& put, bool compressed, std::string why) {
  const auto& ctx = *req.ctx;
  std::string src(ctx.path(req.entry));
  double ratio = compressed ? 3.0 : 1.0;
  auto size = static_cast<uint64_t>(static_cast<double>(ctx.file_size(req.entry)) * ratio);
  fs.mkdir_p(req.dest, req.layer, req.uid, req.gid);
  FileNode n = summary_node(size, hash_combine(content_hash("tar"), req.identity), req.layer,
                            fmt::format("estimate: archive {} extracted ({}x its size; {})", src, ratio, why), true);
  put(clean_abs(std::string(base_name("/" + src)) + ".contents", req.dest), std::move(n));
  ArchiveAdd a;
  a.handled = true;
  a.estimated = true;
  a.members = 1;
  a.bytes = size;
  a.note = fmt::format("ADD extracts the archive {} into {} (size estimated: {})", src, req.dest, why);
  return a;
}

}  // namespace

ArchiveAdd add_local_archive(const ArchiveAddRequest& req, Vfs& fs, const ArchivePut& put) {
  const auto& ctx = *req.ctx;
  ArchiveAdd out;
  if (!ctx.is_file(req.entry)) return out;
  std::string src(ctx.path(req.entry));
  if (!ctx.has_content(req.entry)) {
    context::Sniff sn = ctx.sniff(req.entry);
    if (!sniffed_archive(sn)) return out;
    bool compressed = sn != context::Sniff::Tar;
    if (sn == context::Sniff::Bzip2 || sn == context::Sniff::Xz || sn == context::Sniff::Zstd)
      return estimate(req, fs, put, true, fmt::format("compressed archive ({}), members not read", context::sniff_name(sn)));
    return estimate(req, fs, put, compressed, "the context keeps only its digest, members not read");
  }

  context::ArchiveListing l = context::read_archive(ctx.content(req.entry), req.limits);
  switch (l.status) {
    case context::ArchiveStatus::NotArchive: return out;
    case context::ArchiveStatus::Compressed: return estimate(req, fs, put, true, l.message);
    case context::ArchiveStatus::TooBig: return estimate(req, fs, put, l.compression != context::Compression::None, l.message);
    case context::ArchiveStatus::Corrupt:
      out.handled = true;
      out.failed = true;
      out.message = fmt::format("ADD {}: the archive is damaged: {} (BuildKit fails while extracting it)", src, l.message);
      out.note = out.message;
      return out;
    case context::ArchiveStatus::Listed: break;
  }

  out.handled = true;
  const FileNode* before = fs.find(req.dest);
  bool dest_existed = before && before->is_dir();
  fs.mkdir_p(req.dest, req.layer, req.uid, req.gid);
  size_t skipped = 0;
  std::string missing_link;
  for (auto& m : l.members) {
    // moby skips AUFS metadata (".wh..wh.*") at the top of the archive.
    if (m.path.starts_with(".wh..wh.") && m.path != ".wh..wh..opq") {
      ++skipped;
      continue;
    }
    if (m.path.empty()) {
      // The destination itself ("/" in the archive): a directory member sets its mode and owner.
      if (m.type == context::MemberType::Dir)
        if (const FileNode* d = fs.find(req.dest); d && d->is_dir()) {
          FileNode n = *d;
          n.mode = m.mode;
          n.uid = m.uid;
          n.gid = m.gid;
          fs.put(req.dest, std::move(n));
        }
      continue;
    }
    std::string p = clean_abs(m.path, req.dest);
    const FileNode* old = fs.find(p);
    FileNode n;
    switch (m.type) {
      case context::MemberType::Dir:
        if (old && old->is_dir()) {
          // Merged: only the metadata changes (the children stay).
          n = *old;
          n.mode = m.mode;
          n.uid = m.uid;
          n.gid = m.gid;
          if (old->summary) {
            fs.put(p, std::move(n));
            ++out.members;
            continue;
          }
          n.layer = req.layer;
        } else {
          n = dir_node(req.layer, m.mode);
          n.uid = m.uid;
          n.gid = m.gid;
        }
        break;
      case context::MemberType::File:
        n.type = NodeType::File;
        n.size = m.size;
        n.mode = m.mode;
        n.hash = hash_combine(m.digest.hi, m.digest.lo);
        n.layer = req.layer;
        if (m.has_content) n.content = std::make_shared<const std::string>(std::move(m.content));
        n.uid = m.uid;
        n.gid = m.gid;
        out.bytes += m.size;
        break;
      case context::MemberType::Symlink:
        n = symlink_node(m.link, req.layer);
        n.uid = m.uid;
        n.gid = m.gid;
        break;
      case context::MemberType::Hardlink: {
        std::string target = m.link.empty() ? req.dest : clean_abs(m.link, req.dest);
        const FileNode* t = fs.find(target);
        if (!t || t->is_dir()) {
          if (missing_link.empty()) missing_link = m.path + " -> " + m.link;
          continue;
        }
        n = *t;
        n.layer = req.layer;
        n.uid = m.uid;
        n.gid = m.gid;
        if (n.is_file()) out.bytes += n.size;
        break;
      }
      case context::MemberType::Other: ++skipped; continue;
    }
    put(p, std::move(n));  // a non-directory over a directory drops its subtree (Vfs::put)
    ++out.members;
  }
  if (!missing_link.empty()) {
    out.failed = true;
    out.message = fmt::format("ADD {}: hard link {} has no target in the archive or the image (BuildKit fails: "
                              "no such file or directory)",
                              src, missing_link);
  }
  out.note = fmt::format("ADD extracts the archive {} ({}) into {}: {} entries, {} bytes of files{}{}", src,
                         l.compression == context::Compression::None ? "tar" : "gzip-compressed tar", req.dest,
                         out.members, out.bytes,
                         !req.chown        ? ""
                         : dest_existed ? fmt::format("; members keep the archive's owners and --chown applies only to "
                                                      "a destination the ADD creates ({} already exists)",
                                                      req.dest)
                                        : "; members keep the archive's owners (--chown applies to the destination only)",
                         skipped ? fmt::format("; {} device, FIFO or metadata entries not modelled", skipped) : "");
  return out;
}

}  // namespace dfplay::sim
