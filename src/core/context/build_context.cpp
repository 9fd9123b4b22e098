#include "context/build_context.h"

#include <xxhash.h>

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "context/path.h"
#include "pipeline_limits.h"

namespace dfplay::context {

std::string_view entry_type_name(EntryType t) {
  switch (t) {
    case EntryType::File: return "file";
    case EntryType::Dir: return "dir";
    case EntryType::Symlink: return "symlink";
  }
  return "file";
}

std::string_view sniff_name(Sniff s) {
  switch (s) {
    case Sniff::Unknown: return "unknown";
    case Sniff::Text: return "text";
    case Sniff::Binary: return "binary";
    case Sniff::Tar: return "tar";
    case Sniff::Gzip: return "gzip";
    case Sniff::Bzip2: return "bzip2";
    case Sniff::Xz: return "xz";
    case Sniff::Zstd: return "zstd";
  }
  return "unknown";
}

Sniff sniff_bytes(std::string_view h) {
  auto starts = [&](std::string_view magic) { return h.substr(0, magic.size()) == magic; };
  if (starts(std::string_view("\x1f\x8b", 2))) return Sniff::Gzip;
  if (starts("BZh")) return Sniff::Bzip2;
  if (starts(std::string_view("\xfd" "7zXZ\x00", 6))) return Sniff::Xz;
  if (starts(std::string_view("\x28\xb5\x2f\xfd", 4))) return Sniff::Zstd;
  if (h.size() >= 262 && h.substr(257, 5) == "ustar") return Sniff::Tar;
  if (h.substr(0, 8000).find('\0') != std::string_view::npos) return Sniff::Binary;
  return Sniff::Text;
}

std::string Digest::hex() const { return fmt::format("{:016x}{:016x}", hi, lo); }

Digest digest_of_content(std::string_view bytes) {
  XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  return {h.high64, h.low64};
}

Digest digest_of_hash_text(std::string_view hash) {
  XXH128_hash_t h = XXH3_128bits_withSeed(hash.data(), hash.size(), 0x68617368 /* "hash" */);
  return {h.high64, h.low64};
}

Digest digest_of_unknown(uint64_t size) {
  unsigned char le[8];
  for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>(size >> (8 * i));
  XXH128_hash_t h = XXH3_128bits_withSeed(le, sizeof le, 0x73697a65 /* "size" */);
  return {h.high64, h.low64};
}

ContentHasher::ContentHasher() : state_(XXH3_createState()) {
  XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}
ContentHasher::~ContentHasher() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }
void ContentHasher::update(std::string_view bytes) {
  XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), bytes.data(), bytes.size());
}
Digest ContentHasher::finish() {
  XXH128_hash_t h = XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_));
  return {h.high64, h.low64};
}

// ---------------------------------------------------------------------------------------------
// BuildContext
// ---------------------------------------------------------------------------------------------

BuildContext::BuildContext() {
  Entry root;
  root.type = EntryType::Dir;
  root.mode = 0755;
  root.end = 1;
  root.parent = npos;
  entries_.push_back(root);
}

std::string_view BuildContext::name(uint32_t i) const { return base_name(path(i)); }

std::string_view BuildContext::content(uint32_t i) const {
  const Entry& e = entries_[i];
  if (!(e.flags & kHasContent)) return {};
  return {data_.data() + e.data_off, e.data_len};
}

std::string_view BuildContext::symlink_target(uint32_t i) const {
  const Entry& e = entries_[i];
  if (e.type != EntryType::Symlink) return {};
  return {data_.data() + e.data_off, e.data_len};
}

std::string_view BuildContext::hash_text(uint32_t i) const {
  if (!(entries_[i].flags & kHasHashText)) return {};
  auto it = hash_texts_.find(i);
  return it == hash_texts_.end() ? std::string_view() : std::string_view(it->second);
}

uint32_t BuildContext::next_sibling(uint32_t c) const {
  uint32_t p = entries_[c].parent;
  if (p == npos) return npos;
  uint32_t n = entries_[c].end;
  return n < entries_[p].end ? n : npos;
}

uint32_t BuildContext::find(std::string_view p) const {
  size_t lo = 0, hi = entries_.size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = compare_paths(path(static_cast<uint32_t>(mid)), p);
    if (c == 0) return static_cast<uint32_t>(mid);
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return npos;
}

std::pair<uint32_t, uint32_t> BuildContext::prefix_range(std::string_view prefix) const {
  size_t lo = 0, hi = entries_.size();
  while (lo < hi) {  // first entry >= prefix
    size_t mid = lo + (hi - lo) / 2;
    if (compare_paths(path(static_cast<uint32_t>(mid)), prefix) < 0) lo = mid + 1;
    else hi = mid;
  }
  size_t first = lo;
  hi = entries_.size();
  while (lo < hi) {  // first entry whose truncated path > prefix
    size_t mid = lo + (hi - lo) / 2;
    std::string_view p = path(static_cast<uint32_t>(mid));
    if (compare_paths(p.substr(0, prefix.size()), prefix) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return {static_cast<uint32_t>(first), static_cast<uint32_t>(lo)};
}

uint32_t BuildContext::resolve(std::string_view clean, bool follow_last, std::string* error,
                               const std::function<bool(uint32_t)>& exists) const {
  std::string cur(clean);
  int links = 0;
  for (;;) {
    if (cur.empty()) return root;
    bool restarted = false;
    uint32_t idx = root;
    size_t start = 0;
    while (start <= cur.size()) {
      size_t slash = cur.find('/', start);
      size_t end = slash == std::string::npos ? cur.size() : slash;
      bool last = slash == std::string::npos;
      std::string_view built(cur.data(), end);
      uint32_t child = find(built);
      if (child != npos && exists && !exists(child)) child = npos;
      if (child == npos || (idx != root && !is_dir(idx))) {
        if (error) *error = "not found";
        return npos;
      }
      if (is_symlink(child) && (!last || follow_last)) {
        if (++links > 255) {
          if (error) *error = "too many links";
          return npos;
        }
        std::string_view target = symlink_target(child);
        std::string base(parent_path(built));
        std::string next = target.size() && target[0] == '/' ? context_relative(target)
                                                               : context_relative(join_path(base, target));
        std::string rest = last ? std::string() : cur.substr(end + 1);
        cur = join_path(next, rest);
        restarted = true;
        break;
      }
      idx = child;
      if (last) break;
      start = end + 1;
    }
    if (!restarted) {
      if (error) error->clear();
      return idx;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// ContextBuilder
// ---------------------------------------------------------------------------------------------

namespace {
constexpr size_t kMaxPathBytes = 32768;
}

bool ContextBuilder::add_path(std::string_view raw, Rec& rec) {
  if (full()) {  // limits::kMaxContextEntries: the rest is left out (reported by build())
    if (dropped_++ == 0) first_dropped_ = std::string(raw.substr(0, 200));
    return false;
  }
  if (raw.find('\0') != std::string_view::npos) {
    diagnostics_.warning({}, "context/invalid-path", "path contains a NUL byte; entry skipped");
    return false;
  }
  bool escaped = false;
  std::string p = context_relative(raw, &escaped);
  if (escaped) {
    diagnostics_.warning({}, "context/invalid-path",
                         fmt::format("path \"{}\" leaves the build context; entry skipped", raw));
    return false;
  }
  if (p.empty() && rec.type != EntryType::Dir) {
    diagnostics_.warning({}, "context/invalid-path", fmt::format("path \"{}\" names the context root; entry skipped", raw));
    return false;
  }
  if (p.size() > kMaxPathBytes) {
    diagnostics_.warning({}, "context/invalid-path", "path is longer than 32768 bytes; entry skipped");
    return false;
  }
  rec.path_off = paths_.size();
  rec.path_len = static_cast<uint32_t>(p.size());
  rec.seq = static_cast<uint32_t>(recs_.size());
  paths_ += p;
  return true;
}

void ContextBuilder::add_file(std::string_view path, std::string_view content, uint32_t mode, bool keep_content) {
  Rec r;
  r.type = EntryType::File;
  r.mode = mode & 07777;
  r.size = content.size();
  r.digest = digest_of_content(content);
  r.sniff = sniff_bytes(content.substr(0, 8192));
  if (!add_path(path, r)) return;
  if (keep_content) {
    r.data_off = data_.size();
    r.data_len = static_cast<uint32_t>(content.size());
    r.flags |= BuildContext::kHasContent;
    data_ += content;
  }
  recs_.push_back(r);
}

void ContextBuilder::add_file_meta(std::string_view path, uint64_t size, std::string_view hash_text, uint32_t mode,
                                   const Digest* digest, Sniff sniff) {
  Rec r;
  r.type = EntryType::File;
  r.mode = mode & 07777;
  r.size = size;
  r.sniff = sniff;
  if (digest) r.digest = *digest;
  else if (!hash_text.empty()) r.digest = digest_of_hash_text(hash_text);
  else r.digest = digest_of_unknown(size);
  if (!add_path(path, r)) return;
  if (!hash_text.empty()) {
    r.flags |= BuildContext::kHasHashText;
    hash_texts_[r.seq] = std::string(hash_text);
  }
  recs_.push_back(r);
}

void ContextBuilder::add_dir(std::string_view path, uint32_t mode) {
  Rec r;
  r.type = EntryType::Dir;
  r.mode = mode & 07777;
  if (!add_path(path, r)) return;
  recs_.push_back(r);
}

void ContextBuilder::add_symlink(std::string_view path, std::string_view target) {
  Rec r;
  r.type = EntryType::Symlink;
  r.mode = 0777;
  r.size = target.size();
  r.digest = digest_of_content(target);
  if (!add_path(path, r)) return;
  r.data_off = data_.size();
  r.data_len = static_cast<uint32_t>(target.size());
  data_ += target;
  recs_.push_back(r);
}

void ContextBuilder::stop_at(std::string_view path) {
  if (dropped_++ == 0) first_dropped_ = std::string(path.substr(0, 200));
  stopped_ = true;
}

BuildContext ContextBuilder::build() {
  BuildContext ctx;
  auto path_of = [&](const Rec& r) { return std::string_view(paths_.data() + r.path_off, r.path_len); };

  std::vector<uint32_t> order(recs_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    int c = compare_paths(path_of(recs_[a]), path_of(recs_[b]));
    return c != 0 ? c < 0 : recs_[a].seq < recs_[b].seq;
  });

  using Entry = BuildContext::Entry;
  auto& entries = ctx.entries_;
  entries.reserve(recs_.size() + recs_.size() / 8 + 1);
  std::vector<uint32_t> stack{BuildContext::root};  // ancestors of the current position
  uint32_t last_leaf = BuildContext::npos;           // the last file or symlink added

  auto stack_path = [&](uint32_t e) {
    return std::string_view(paths_.data() + entries[e].path_off, entries[e].path_len);
  };
  auto is_ancestor = [&](uint32_t e, std::string_view p) {
    if (e == BuildContext::root) return true;
    std::string_view ap = stack_path(e);
    return p.size() > ap.size() && p[ap.size()] == '/' && p.substr(0, ap.size()) == ap;
  };

  for (size_t k = 0; k < order.size(); ++k) {
    // duplicates: only the last occurrence (highest seq) of a path counts
    if (k + 1 < order.size() && path_of(recs_[order[k]]) == path_of(recs_[order[k + 1]])) continue;
    const Rec& r = recs_[order[k]];
    std::string_view p = path_of(r);
    if (p.empty()) {  // explicit root directory: only its mode matters
      entries[0].mode = r.mode;
      continue;
    }
    if (last_leaf != BuildContext::npos && is_ancestor(last_leaf, p)) {
      diagnostics_.warning({}, "context/conflict",
                           fmt::format("\"{}\" is inside \"{}\", which is not a directory; entry skipped", p,
                                       stack_path(last_leaf)));
      continue;
    }
    while (!is_ancestor(stack.back(), p)) stack.pop_back();
    uint32_t top = stack.back();
    // implied directories between `top` and the entry
    size_t from = top == BuildContext::root ? 0 : entries[top].path_len + 1;
    // limits::kMaxContextEntries counts them too: this entry and the ones after it (in path
    // order) are left out when they do not fit.
    size_t implied = static_cast<size_t>(std::count(p.begin() + static_cast<std::ptrdiff_t>(std::min(from, p.size())), p.end(), '/'));
    if (entries.size() - 1 + implied + 1 > max_entries_) {
      if (dropped_ == 0) first_dropped_ = std::string(p.substr(0, 200));
      dropped_ += order.size() - k;
      break;
    }
    for (size_t slash = p.find('/', from); slash != std::string_view::npos; slash = p.find('/', slash + 1)) {
      Entry d;
      d.type = EntryType::Dir;
      d.mode = 0755;
      d.flags = BuildContext::kImplied;
      d.path_off = r.path_off;
      d.path_len = static_cast<uint32_t>(slash);
      d.parent = stack.back();
      d.depth = static_cast<uint16_t>(entries[stack.back()].depth + 1);
      entries.push_back(d);
      stack.push_back(static_cast<uint32_t>(entries.size() - 1));
    }
    Entry e;
    e.type = r.type;
    e.mode = r.mode;
    e.size = r.size;
    e.digest = r.digest;
    e.path_off = r.path_off;
    e.path_len = r.path_len;
    e.data_off = r.data_off;
    e.data_len = r.data_len;
    e.flags = r.flags;
    e.sniff = r.sniff;
    e.parent = stack.back();
    e.depth = static_cast<uint16_t>(entries[stack.back()].depth + 1);
    entries.push_back(e);
    uint32_t idx = static_cast<uint32_t>(entries.size() - 1);
    if (r.flags & BuildContext::kHasHashText) ctx.hash_texts_[idx] = std::move(hash_texts_[r.seq]);
    if (e.type == EntryType::Dir) stack.push_back(idx);
    else last_leaf = idx;
  }

  // subtree ends and totals
  for (uint32_t i = 0; i < entries.size(); ++i) entries[i].end = i + 1;
  for (uint32_t i = static_cast<uint32_t>(entries.size()); i-- > 1;) {
    uint32_t p = entries[i].parent;
    if (entries[p].end < entries[i].end) entries[p].end = entries[i].end;
  }
  for (uint32_t i = 1; i < entries.size(); ++i) {
    switch (entries[i].type) {
      case EntryType::File:
        ++ctx.files_;
        ctx.bytes_ += entries[i].size;
        break;
      case EntryType::Dir: ++ctx.dirs_; break;
      case EntryType::Symlink: ++ctx.symlinks_; break;
    }
  }

  if (dropped_ > 0) {
    diagnostics_.error({}, "limits/context-files",
                       fmt::format("the build context has more than {} files and directories: the playground reads {} of "
                                   "them; \"{}\" {} left out",
                                   max_entries_, entries.size() - 1, first_dropped_,
                                   stopped_        ? std::string("and everything after it are")
                                   : dropped_ == 1 ? std::string("is")
                                                   : fmt::format("and {} more are", dropped_ - 1)));
  }
  ctx.paths_ = std::move(paths_);
  ctx.data_ = std::move(data_);
  ctx.diagnostics_ = std::move(diagnostics_);
  dropped_ = 0;
  first_dropped_.clear();
  stopped_ = false;
  recs_.clear();
  paths_.clear();
  data_.clear();
  hash_texts_.clear();
  diagnostics_ = Diagnostics();
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

namespace {

using json = nlohmann::json;

// Wraps nlohmann's DOM builder to learn where a syntax error is (no exceptions are thrown,
// so this also works in the wasm build).
class ErrorRecordingSax {
 public:
  explicit ErrorRecordingSax(json& j) : dom_(j, false) {}
  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) { return dom_.number_float(v, s); }
  bool string(json::string_t& v) { return dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }
  bool start_object(std::size_t n) { return dom_.start_object(n); }
  bool key(json::string_t& v) { return dom_.key(v); }
  bool end_object() { return dom_.end_object(); }
  bool start_array(std::size_t n) { return dom_.start_array(n); }
  bool end_array() { return dom_.end_array(); }
  template <class E>
  bool parse_error(std::size_t position, const std::string& /*token*/, const E& ex) {
    failed = true;
    error_position = position;
    message = ex.what();
    return false;
  }
  bool failed = false;
  std::size_t error_position = 0;
  std::string message;

 private:
  nlohmann::detail::json_sax_dom_parser<json> dom_;
};

bool parse_mode(const json& v, uint32_t* mode) {
  if (v.is_number_unsigned() || v.is_number_integer()) {
    long long m = v.is_number_unsigned() ? static_cast<long long>(v.get<json::number_unsigned_t>())
                                         : static_cast<long long>(v.get<json::number_integer_t>());
    if (m < 0 || m > 07777) return false;
    *mode = static_cast<uint32_t>(m);
    return true;
  }
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > 6) return false;
    uint32_t m = 0;
    size_t i = (s.size() > 1 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) ? 2 : 0;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '7') return false;
      m = m * 8 + uint32_t(s[i] - '0');
    }
    if (m > 07777) return false;
    *mode = m;
    return true;
  }
  return false;
}

void add_json_entry(ContextBuilder& b, const std::string& path, const json& e, Diagnostics& diags, size_t index) {
  auto warn = [&](const std::string& msg) {
    diags.warning({}, "context/json", fmt::format("entry {} (\"{}\"): {}", index, path, msg));
  };
  std::string type;
  if (e.contains("type")) {
    if (!e["type"].is_string()) return warn("\"type\" must be a string");
    type = e["type"].get<std::string>();
    if (type != "file" && type != "dir" && type != "symlink") return warn("unknown type \"" + type + "\"");
  }
  if (type.empty()) {
    if (e.contains("symlink")) type = "symlink";
    else if (!path.empty() && path.back() == '/' && !e.contains("content") && !e.contains("size")) type = "dir";
    else type = "file";
  }
  uint32_t mode = type == "dir" ? 0755 : 0644;
  if (e.contains("mode") && !parse_mode(e["mode"], &mode)) return warn("\"mode\" must be 0..07777 (a number or an octal string)");
  if (type == "dir") return b.add_dir(path, mode);
  if (type == "symlink") {
    if (!e.contains("symlink") || !e["symlink"].is_string()) return warn("a symlink needs a string \"symlink\" target");
    return b.add_symlink(path, e["symlink"].get_ref<const std::string&>());
  }
  std::string hash;
  if (e.contains("hash")) {
    if (!e["hash"].is_string()) return warn("\"hash\" must be a string");
    hash = e["hash"].get<std::string>();
  }
  bool has_size = e.contains("size");
  uint64_t size = 0;
  if (has_size) {
    const json& s = e["size"];
    if (s.is_number_unsigned()) size = s.get<json::number_unsigned_t>();
    else if (s.is_number_integer() && s.get<json::number_integer_t>() >= 0) size = static_cast<uint64_t>(s.get<json::number_integer_t>());
    else return warn("\"size\" must be a non-negative integer");
  }
  // "xxh3-128:<32 hex digits>" is a digest as dfplay computes it (context_to_json writes it):
  // it is taken literally, so a context survives a JSON round trip unchanged.
  if (hash.size() == 9 + 32 && hash.compare(0, 9, "xxh3-128:") == 0 && !e.contains("content")) {
    Digest d;
    bool ok = true;
    for (size_t i = 0; i < 32 && ok; ++i) {
      char c = hash[9 + i];
      int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (v < 0) ok = false;
      uint64_t& half = i < 16 ? d.hi : d.lo;
      half = (half << 4) | uint64_t(v < 0 ? 0 : v);
    }
    if (ok) return b.add_file_meta(path, size, {}, mode, &d);
  }
  if (e.contains("content") && !e["content"].is_null()) {
    if (!e["content"].is_string()) return warn("\"content\" must be a string");
    const std::string& c = e["content"].get_ref<const std::string&>();
    if (has_size && size != c.size()) warn(fmt::format("\"size\" {} differs from the content's {} bytes; the content wins", size, c.size()));
    if (!hash.empty()) warn("\"hash\" is ignored when \"content\" is given");
    return b.add_file(path, c, mode);
  }
  b.add_file_meta(path, size, hash, mode);
}

}  // namespace

BuildContext context_from_json(std::string_view text, Diagnostics* diagnostics) {
  Diagnostics local;
  Diagnostics& diags = diagnostics ? *diagnostics : local;
  json j;
  ErrorRecordingSax sax(j);
  json::sax_parse(text, &sax, json::input_format_t::json, true);
  ContextBuilder b;
  if (sax.failed) {
    diags.error({}, "context/json", fmt::format("invalid JSON at byte {}", sax.error_position));
    return b.build();
  }
  if (j.is_object()) {
    size_t i = 0;
    for (auto it = j.begin(); it != j.end(); ++it, ++i) {
      const json& v = it.value();
      if (v.is_string()) {
        b.add_file(it.key(), v.get_ref<const std::string&>());
      } else if (v.is_null()) {
        if (!it.key().empty() && it.key().back() == '/') b.add_dir(it.key());
        else b.add_file(it.key(), "");
      } else if (v.is_object()) {
        add_json_entry(b, it.key(), v, diags, i);
      } else {
        diags.warning({}, "context/json", fmt::format("entry \"{}\": the value must be a string, null or an object", it.key()));
      }
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) {
      const json& e = j[i];
      if (!e.is_object() || !e.contains("path") || !e["path"].is_string()) {
        diags.warning({}, "context/json", fmt::format("entry {}: an object with a string \"path\" is required", i));
        continue;
      }
      add_json_entry(b, e["path"].get<std::string>(), e, diags, i);
    }
  } else {
    diags.error({}, "context/json", "a context must be a JSON object or array");
  }
  BuildContext ctx = b.build();
  for (const auto& d : ctx.diagnostics()) diags.add(d);
  return ctx;
}

}  // namespace dfplay::context
