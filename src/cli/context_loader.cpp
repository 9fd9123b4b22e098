#include "context_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "context/archive.h"

namespace dfplay::cli {

namespace fs = std::filesystem;

namespace {

uint32_t perm_bits(fs::perms p) { return static_cast<uint32_t>(p) & 07777u; }

}  // namespace

bool load_context_dir(const std::string& dir, context::BuildContext& out, const ContextLoadOptions& options,
                      ContextLoadReport* report, std::string* error) {
  ContextLoadReport local;
  ContextLoadReport& rep = report ? *report : local;
  auto fail = [&](std::string msg) {
    if (error) *error = std::move(msg);
    return false;
  };

  std::error_code ec;
  fs::path root(dir);
  fs::file_status root_status = fs::status(root, ec);
  if (ec || !fs::is_directory(root_status)) return fail("cannot read directory " + dir);

  context::ContextBuilder b;
  b.add_dir("", perm_bits(root_status.permissions()));
  const std::string root_str = root.generic_string();
  const size_t prefix = root_str.size() + (root_str.empty() || root_str.back() == '/' ? 0 : 1);

  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) return fail("cannot read directory " + dir + ": " + ec.message());
  std::string buf(64 * 1024, '\0');
  uint64_t entries = 0;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      rep.warnings.push_back("cannot read an entry: " + ec.message());
      ++rep.skipped;
      ec.clear();
      continue;
    }
    if (++entries > options.max_entries) return fail("the context has more than " + std::to_string(options.max_entries) + " entries");
    if (b.full()) {  // limits::kMaxContextEntries: the builder reports it; the rest is not read
      std::string full = it->path().generic_string();
      b.stop_at(full.size() > prefix ? std::string_view(full).substr(prefix) : std::string_view(full));
      break;
    }
    const fs::directory_entry& e = *it;
    std::string full = e.path().generic_string();
    std::string rel = full.size() > prefix ? full.substr(prefix) : std::string();
    fs::file_status st = e.symlink_status(ec);
    if (ec) {
      rep.warnings.push_back(rel + ": " + ec.message());
      ++rep.skipped;
      ec.clear();
      continue;
    }
    if (fs::is_symlink(st)) {
      fs::path target = fs::read_symlink(e.path(), ec);
      if (ec) {
        rep.warnings.push_back(rel + ": cannot read the link: " + ec.message());
        ++rep.skipped;
        ec.clear();
        continue;
      }
      b.add_symlink(rel, target.generic_string());
      ++rep.symlinks;
    } else if (fs::is_directory(st)) {
      b.add_dir(rel, perm_bits(st.permissions()));
      ++rep.dirs;
    } else if (fs::is_regular_file(st)) {
      std::ifstream in(e.path(), std::ios::binary);
      if (!in) {
        rep.warnings.push_back(rel + ": cannot open the file");
        ++rep.skipped;
        continue;
      }
      context::ContentHasher hasher;
      std::string kept, head;
      uint64_t size = 0;
      bool keep = true, archive = false;
      uint64_t limit = options.keep_limit;
      while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        std::streamsize n = in.gcount();
        if (n <= 0) break;
        std::string_view chunk(buf.data(), static_cast<size_t>(n));
        hasher.update(chunk);
        if (head.size() < 8192) head.append(chunk.substr(0, 8192 - head.size()));
        if (size == 0 && context::maybe_archive(head)) {
          archive = true;
          limit = std::max(limit, options.keep_archive_limit);
        }
        size += static_cast<uint64_t>(n);
        if (keep && size <= limit) kept.append(chunk);
        else {
          keep = false;
          kept.clear();
          kept.shrink_to_fit();
        }
      }
      if (in.bad()) {
        rep.warnings.push_back(rel + ": read error");
        ++rep.skipped;
        continue;
      }
      context::Sniff sniff = context::sniff_bytes(head);
      uint32_t mode = perm_bits(st.permissions());
      if (keep && (sniff == context::Sniff::Text || options.keep_binary || archive)) {
        b.add_file(rel, kept, mode, true);
        rep.kept_bytes += size;
      } else {
        context::Digest d = hasher.finish();
        b.add_file_meta(rel, size, {}, mode, &d, sniff);
      }
      ++rep.files;
      rep.bytes += size;
    } else {
      rep.warnings.push_back(rel + ": special file (socket, FIFO or device) skipped");
      ++rep.skipped;
    }
  }
  out = b.build();
  for (const auto& d : out.diagnostics()) rep.warnings.push_back(d.message);
  return true;
}

}  // namespace dfplay::cli
