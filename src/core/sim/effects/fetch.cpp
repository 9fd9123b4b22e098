// Archives (tar, unzip, gzip) and downloads (curl, wget, git clone).
#include <algorithm>

#include "sim/effects/internal.h"

namespace dfplay::sim::detail {
namespace {

// ---- archives ----

std::string archive_stem(std::string_view name) {
  std::string s(base_name(clean_abs(name)));
  for (std::string_view ext : {".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst", ".tar", ".zip", ".gz"}) {
    if (s.size() > ext.size() && s.compare(s.size() - ext.size(), ext.size(), ext) == 0) {
      s.resize(s.size() - ext.size());
      break;
    }
  }
  return s;
}

double expansion_ratio(std::string_view name) {
  if (name.find(".tar") != std::string_view::npos && name.size() >= 4 &&
      name.substr(name.size() - 4) == ".tar")
    return 1.0;
  if (name.find(".xz") != std::string_view::npos || name.find(".txz") != std::string_view::npos) return 3.5;
  return fig::tar_gz_ratio.value;
}

// Extracts an archive of `size` bytes (estimated or not) into `dir`.
void extract(Ctx& c, std::string_view tool, std::string_view archive, uint64_t archive_size, uint64_t identity,
             const std::string& dir, bool size_known, std::string_view origin) {
  uint64_t size = mb(static_cast<double>(archive_size) * expansion_ratio(archive));
  std::string target = dir;
  bool empty_dir = !c.fs.exists(dir) || (c.fs.is_dir(dir) && c.fs.children(dir).empty() && !c.fs.find(dir)->summary);
  if (!empty_dir) target = clean_abs(archive_stem(archive.empty() ? "archive" : archive), dir);
  std::string src = fmt::format("{} of {} ({} x {}; {})", tool, origin, human_size(archive_size), expansion_ratio(archive),
                                fig::tar_gz_ratio.source);
  c.put_summary(target, size, hash_combine(identity, target), src, true);
  if (!size_known) c.output_unknown();
  c.time(0.2 + static_cast<double>(size) / 1e8);
  c.recognise(std::string(tool), fmt::format("extracts {} into {} ({} estimated)", archive.empty() ? "stdin" : archive,
                                             target, human_size(size)));
  if (!empty_dir) c.note(fmt::format("{}: contents modelled as one summary at {}", tool, target));
}

int f_tar(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  // Old-style first argument without dash: "tar xzf file".
  std::vector<std::string> argv = inv.argv;
  if (argv.size() > 1 && !argv[1].empty() && argv[1][0] != '-') argv[1] = "-" + argv[1];
  Inv copy;
  copy.argv = std::move(argv);
  Args a = parse_args(copy, {"-f", "--file", "-C", "--directory", "--strip-components", "--exclude", "-T",
                             "--files-from", "--owner", "--group", "--mode"}, 1);
  bool extract_mode = a.has("-x") || a.has("--extract") || a.has("--get");
  bool create = a.has("-c") || a.has("--create");
  auto file = a.value("-f", "--file");
  std::string dir = c.abs(a.value("-C", "--directory").value_or("."));
  if (extract_mode) {
    if (!file || *file == "-") {
      const Stream* in = inv.in;
      if (in && in->kind == Stream::Kind::Network) {
        extract(c, "tar -x", in->url.empty() ? "download" : std::string(base_name(in->url)),
                mb(fig::download_default.value), content_hash(in->url), dir, false,
                fmt::format("a download ({})", fig::download_default.source));
        c.key(in->url);
        return 0;
      }
      c.unknown("tar -x", "archive from an unknown stream");
      return 0;
    }
    std::string p = c.abs(*file);
    const FileNode* n = c.fs.find(p);
    if (!n) {
      if (c.unknown_input("tar -x " + std::string(*file), p)) {
        if (!c.fs.exists(dir)) c.mkdir(dir);
        return 0;
      }
      c.fail(fmt::format("tar: {}: cannot open: no such file or directory", *file));
      return 2;
    }
    c.key(n->hash);
    extract(c, "tar -x", *file, n->size, n->hash, dir, n->hash != 0, std::string(*file));
    return 0;
  }
  if (create) {
    uint64_t total = 0;
    uint64_t h = 0;
    for (auto s : a.positional) {
      std::string p = clean_abs(s, dir);
      total += c.fs.size_under(p);
      h = hash_combine(h, c.tree_hash(p, [](const std::string&, const FileNode&) { return true; }));
    }
    bool gz = a.has("-z") || a.has("--gzip") || a.has("-J") || a.has("-j");
    uint64_t size = gz ? mb(static_cast<double>(total) / fig::tar_gz_ratio.value) : total;
    if (file && *file != "-") {
      FileNode out;
      out.size = size;
      out.layer = c.layer;
      out.uid = c.user.uid;
      out.gid = c.user.gid;
      out.hash = hash_combine(h, size);
      out.estimated = gz;
      out.source = "tar -c of the listed paths";
      c.fs.put(c.abs(*file), std::move(out));
    }
    c.key(h);
    c.recognise("tar -c", fmt::format("archives {} ({})", human_size(total), human_size(size)));
    c.note("tar archives record modification times: the archive differs on every build unless --mtime is fixed");
    return 0;
  }
  c.recognise("tar", "lists an archive (no change)");
  return 0;
}

int f_unzip(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  Args a = parse_args(inv, {"-d", "-x"}, 1);
  if (a.positional.empty()) return 1;
  std::string p = c.abs(a.positional[0]);
  const FileNode* n = c.fs.find(p);
  if (!n) {
    c.fail(fmt::format("unzip: cannot find or open {}", a.positional[0]));
    return 9;
  }
  c.key(n->hash);
  extract(c, "unzip", a.positional[0], n->size, n->hash, c.abs(a.value("-d").value_or(".")), n->hash != 0,
          std::string(a.positional[0]));
  return 0;
}

int f_gzip(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"-S"}, 1);
  bool decompress = inv.name == "gunzip" || a.has("-d") || a.has("--decompress");
  bool keep = a.has("-k") || a.has("--keep") || a.has("-c") || a.has("--stdout");
  if (a.has("-c") || a.has("--stdout")) {
    c.recognise(std::string(inv.name), "writes to stdout");
    return 0;
  }
  for (auto f : a.positional) {
    std::string p = c.abs(f);
    const FileNode* n = c.fs.find(p);
    if (!n) continue;
    FileNode out = *n;
    out.layer = c.layer;
    out.content.reset();
    out.estimated = true;
    out.hash = hash_combine(n->hash, decompress ? "gunzip" : "gzip");
    out.size = decompress ? mb(static_cast<double>(n->size) * fig::tar_gz_ratio.value)
                          : mb(static_cast<double>(n->size) / fig::tar_gz_ratio.value);
    out.source = fig::tar_gz_ratio.source;
    std::string target = p;
    if (decompress && target.size() > 3 && target.substr(target.size() - 3) == ".gz") target.resize(target.size() - 3);
    else if (!decompress) target += ".gz";
    c.key(n->hash);
    c.fs.put(target, std::move(out));
    if (!keep) c.remove(p);
  }
  c.recognise(std::string(inv.name), fmt::format("{} {} file(s)", decompress ? "decompresses" : "compresses", a.positional.size()));
  return 0;
}

// ---- downloads ----

std::string url_basename(std::string_view url) {
  size_t q = url.find_first_of("?#");
  if (q != std::string_view::npos) url = url.substr(0, q);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  size_t s = url.rfind('/');
  std::string_view b = s == std::string_view::npos ? url : url.substr(s + 1);
  return b.empty() ? std::string("index.html") : std::string(b);
}

bool looks_like_url(std::string_view s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0 || s.rfind("ftp://", 0) == 0 ||
         s.find("://") != std::string_view::npos;
}

void download_to(Ctx& c, std::string_view tool, std::string_view url, const std::string& path) {
  if (c.on_mount(path)) return;
  FileNode n;
  n.size = mb(fig::download_default.value);
  n.layer = c.layer;
  n.uid = c.user.uid;
  n.gid = c.user.gid;
  n.estimated = true;
  n.hash = 0;  // network content: unknown
  n.source = fmt::format("download from {} (size unknown; {})", url, fig::download_default.source);
  c.fs.put(path, std::move(n));
  c.eff.estimated = true;
  c.output_unknown();
  c.time(2.0, 2.0);
  c.recognise(std::string(tool), fmt::format("downloads {} to {} (size unknown, estimated {})", url, path,
                                             human_size(mb(fig::download_default.value))));
}

void network_note(Ctx& c, std::string_view tool) {
  if (c.in.os_family == "alpine" && tool == "curl" && !c.fs.exists("/usr/bin/curl") &&
      !c.fs.exists("/usr/share/dfplay/packages/curl"))
    c.note("curl is not part of Alpine base images unless installed (apk add curl); busybox wget is");
}

int f_curl(Ctx& c, Inv& inv) {
  Args a = parse_args(inv, {"-o", "--output", "-H", "--header", "-u", "--user", "-d", "--data", "-X",
                            "--request", "-A", "--user-agent", "--retry", "--connect-timeout", "-m",
                            "--max-time", "-w", "--write-out", "-e", "--referer", "--cacert", "-T",
                            "--upload-file", "--proto", "--tlsv1.2", "-b", "--cookie", "-c", "--cookie-jar",
                            "--retry-delay", "--retry-max-time", "-x", "--proxy"},
                      1);
  network_note(c, "curl");
  std::vector<std::string_view> urls;
  for (auto p : a.positional)
    if (looks_like_url(p) || p.find('.') != std::string_view::npos) urls.push_back(p);
  if (urls.empty()) {
    c.unknown("curl", "no URL");
    return 0;
  }
  auto out = a.value("-o", "--output");
  bool remote_name = a.has("-O") || a.has("--remote-name");
  if (out && *out != "-") {
    std::string p = c.abs(*out);
    if (a.has("--create-dirs")) c.mkdir(std::string(parent_path(p)));
    download_to(c, "curl", urls[0], p);
    inv.out.kind = Stream::Kind::None;
    return 0;
  }
  if (remote_name) {
    for (auto u : urls) download_to(c, "curl", u, c.abs(url_basename(u)));
    inv.out.kind = Stream::Kind::None;
    return 0;
  }
  inv.out.kind = Stream::Kind::Network;
  inv.out.url = std::string(urls[0]);
  c.output_unknown();
  c.time(1.0, 1.0);
  c.recognise("curl", fmt::format("fetches {}", urls[0]));
  return 0;
}

int f_wget(Ctx& c, Inv& inv) {
  Args a = parse_args(inv, {"-O", "--output-document", "-P", "--directory-prefix", "-o", "--output-file", "-U",
                            "--user-agent", "--header", "-T", "--timeout", "-t", "--tries"},
                      1);
  std::vector<std::string_view> urls;
  for (auto p : a.positional)
    if (looks_like_url(p) || p.find('.') != std::string_view::npos) urls.push_back(p);
  if (urls.empty()) {
    c.unknown("wget", "no URL");
    return 0;
  }
  auto out = a.value("-O", "--output-document");
  if (out && *out == "-") {
    inv.out.kind = Stream::Kind::Network;
    inv.out.url = std::string(urls[0]);
    c.output_unknown();
    c.time(1.0, 1.0);
    c.recognise("wget", fmt::format("fetches {}", urls[0]));
    return 0;
  }
  inv.out.kind = Stream::Kind::None;
  std::string prefix = c.abs(a.value("-P", "--directory-prefix").value_or("."));
  for (auto u : urls) download_to(c, "wget", u, out ? c.abs(*out) : clean_abs(url_basename(u), prefix));
  return 0;
}

int f_git(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  size_t k = 1;
  while (k < inv.argv.size() && inv.argv[k].rfind('-', 0) == 0) {
    if (inv.argv[k] == "-C" || inv.argv[k] == "-c") ++k;
    ++k;
  }
  if (k >= inv.argv.size()) return 0;
  std::string_view sub = inv.argv[k];
  if (sub == "clone") {
    Args a = parse_args(inv, {"--depth", "-b", "--branch", "--origin", "-o", "--reference", "--filter", "-c",
                              "--config", "-j", "--jobs", "--shallow-since"},
                        k + 1);
    if (a.positional.empty()) return 128;
    std::string_view url = a.positional[0];
    std::string name = url_basename(url);
    if (name.size() > 4 && name.substr(name.size() - 4) == ".git") name.resize(name.size() - 4);
    std::string dir = c.abs(a.positional.size() > 1 ? std::string(a.positional[1]) : name);
    bool shallow = a.value("--depth").has_value();
    const fig::Figure& f = shallow ? fig::git_clone_shallow : fig::git_clone_default;
    c.put_summary(dir, mb(f.value), content_hash(url), fmt::format("git clone of {} ({})", url, f.source), true);
    c.output_unknown();
    c.time(3.0, 3.0);
    c.recognise("git clone", fmt::format("clones {} into {} (size unknown, estimated {})", url, dir,
                                         human_size(mb(f.value))));
    if (!shallow) c.note("git clone keeps the whole history in .git: --depth 1 makes it smaller");
    return 0;
  }
  if (sub == "config" || sub == "rev-parse" || sub == "describe" || sub == "log" || sub == "status" ||
      sub == "--version" || sub == "version" || sub == "show") {
    c.recognise("git " + std::string(sub), "reads the repository (no change)");
    return 0;
  }
  c.unknown("git " + std::string(sub));
  return 0;
}

}  // namespace

void register_fetch(Registry& r) {
  r.add("tar", f_tar);
  r.add("unzip", f_unzip);
  r.add("gzip", f_gzip);
  r.add("gunzip", f_gzip);
  r.add("curl", f_curl);
  r.add("wget", f_wget);
  r.add("git", f_git);
}

}  // namespace dfplay::sim::detail
