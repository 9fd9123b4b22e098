#include "catalog/blob.h"

#include <cstdint>

namespace dfplay::catalog::detail {

namespace {

class Writer {
 public:
  void u(uint64_t v) {
    do {
      unsigned char b = v & 0x7f;
      v >>= 7;
      out_ += static_cast<char>(v ? b | 0x80 : b);
    } while (v);
  }
  void s(std::string_view v) {
    u(v.size());
    out_.append(v);
  }
  void list(const std::vector<std::string>& v) {
    u(v.size());
    for (const auto& e : v) s(e);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return pos_ == in_.size(); }

  uint64_t u() {
    uint64_t v = 0;
    for (unsigned shift = 0; ok_; shift += 7) {
      if (pos_ >= in_.size() || shift > 63) return fail();
      auto b = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return 0;
  }
  void s(std::string& out) {
    uint64_t n = u();
    if (!ok_ || n > in_.size() - pos_) {
      fail();
      return;
    }
    out.assign(in_.substr(pos_, n));
    pos_ += n;
  }
  // A count of items that take at least one byte each (bounds a corrupt count).
  size_t count() {
    uint64_t n = u();
    if (n > in_.size() - pos_) return fail();
    return static_cast<size_t>(n);
  }
  void list(std::vector<std::string>& out) {
    size_t n = count();
    out.resize(n);
    for (auto& e : out) s(e);
  }
  uint32_t u32() {
    uint64_t v = u();
    if (v > 0xffffffffu) return fail();
    return static_cast<uint32_t>(v);
  }

 private:
  uint64_t fail() {
    ok_ = false;
    return 0;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// What Catalog::load gives an image whose JSON has no "digest".
std::string synthetic_digest_of(const Image& img) {
  return synthetic_digest(img.reference == "scratch" ? "scratch" : img.ref.canonical(), img.version);
}

// Every field of Image, in blob order. A new field goes at the end of this list and bumps
// kBlobVersion; the round-trip test (blob_test.cpp) compares every field through to_json().
void encode_image(Writer& w, const Image& img) {
  w.s(img.reference);
  w.s(img.ref.domain);
  w.s(img.ref.path);
  w.s(img.ref.tag);
  w.s(img.ref.digest);
  w.list(img.aliases);
  w.s(img.description);
  w.s(img.family);
  w.u(static_cast<uint64_t>(img.role));
  w.s(img.version);
  w.s(img.snapshot);
  w.s(img.os);
  w.s(img.os_version);
  w.s(img.libc);
  w.list(img.platforms);
  w.u(img.compressed_size);
  w.u(img.uncompressed_size);
  w.s(img.shell);
  w.list(img.shells);
  w.s(img.package_manager);
  const ImageConfig& c = img.config;
  w.s(c.user);
  w.s(c.workdir);
  w.list(c.env);
  w.list(c.entrypoint);
  w.list(c.cmd);
  w.list(c.exposed_ports);
  w.list(c.volumes);
  w.s(c.stop_signal);
  w.u(img.users.size());
  for (const auto& a : img.users) {
    w.s(a.name);
    w.u(a.uid);
    w.u(a.gid);
    w.s(a.home);
  }
  w.u(img.directories.size());
  for (const auto& d : img.directories) {
    w.s(d.path);
    w.u(d.size);
    w.s(d.note);
    w.s(d.source);
  }
  w.list(img.tools);
  w.list(img.slimmer);
  w.list(img.runtime_images);
  w.s(img.deprecated);
  w.u(img.sources.size());
  for (const auto& [figure, source] : img.sources) {
    w.s(figure);
    w.s(source);
  }
  // The synthetic digest (most images) is left out and computed again when decoding: 64 hex
  // digits per image compress poorly.
  const bool synthetic = img.digest == synthetic_digest_of(img);
  w.u(synthetic ? 0 : 1);
  if (!synthetic) w.s(img.digest);
  w.u(static_cast<uint64_t>(img.origin));
}

void decode_image(Reader& r, Image& img) {
  r.s(img.reference);
  r.s(img.ref.domain);
  r.s(img.ref.path);
  r.s(img.ref.tag);
  r.s(img.ref.digest);
  r.list(img.aliases);
  r.s(img.description);
  r.s(img.family);
  uint64_t role = r.u();
  img.role = role <= static_cast<uint64_t>(Role::Service) ? static_cast<Role>(role) : Role::Unknown;
  r.s(img.version);
  r.s(img.snapshot);
  r.s(img.os);
  r.s(img.os_version);
  r.s(img.libc);
  r.list(img.platforms);
  img.compressed_size = r.u();
  img.uncompressed_size = r.u();
  r.s(img.shell);
  r.list(img.shells);
  r.s(img.package_manager);
  ImageConfig& c = img.config;
  r.s(c.user);
  r.s(c.workdir);
  r.list(c.env);
  r.list(c.entrypoint);
  r.list(c.cmd);
  r.list(c.exposed_ports);
  r.list(c.volumes);
  r.s(c.stop_signal);
  img.users.resize(r.count());
  for (auto& a : img.users) {
    r.s(a.name);
    a.uid = r.u32();
    a.gid = r.u32();
    r.s(a.home);
  }
  img.directories.resize(r.count());
  for (auto& d : img.directories) {
    r.s(d.path);
    d.size = r.u();
    r.s(d.note);
    r.s(d.source);
  }
  r.list(img.tools);
  r.list(img.slimmer);
  r.list(img.runtime_images);
  r.s(img.deprecated);
  img.sources.clear();
  for (size_t n = r.count(); n > 0 && r.ok(); --n) {
    std::string figure, source;
    r.s(figure);
    r.s(source);
    img.sources.emplace_hint(img.sources.end(), std::move(figure), std::move(source));
  }
  if (r.u() == 0) img.digest = synthetic_digest_of(img);
  else r.s(img.digest);
  uint64_t origin = r.u();
  img.origin = origin <= static_cast<uint64_t>(Origin::Estimate) ? static_cast<Origin>(origin) : Origin::Builtin;
}

}  // namespace

std::string encode_images(const std::vector<Image>& images) {
  Writer w;
  w.u(kBlobVersion);
  w.u(images.size());
  for (const auto& img : images) encode_image(w, img);
  return w.take();
}

bool same_image(const Image& a, const Image& b) {
  return a.ref.domain == b.ref.domain && a.ref.path == b.ref.path && a.ref.tag == b.ref.tag &&
         a.ref.digest == b.ref.digest && to_json(a) == to_json(b);
}

bool decode_images(std::string_view bytes, std::vector<Image>& out) {
  Reader r(bytes);
  if (r.u() != kBlobVersion || !r.ok()) return false;
  size_t n = r.count();
  out.clear();
  out.resize(n);
  for (auto& img : out) {
    if (!r.ok()) break;
    decode_image(r, img);
  }
  return r.ok() && r.done();
}

}  // namespace dfplay::catalog::detail
