#include "catalog/catalog.h"

#include <algorithm>

#include "catalog/detail.h"
#include "catalog/sha256.h"

namespace dfplay::catalog {

// ---- tools ------------------------------------------------------------------------------------

namespace {

struct ToolEntry {
  std::string_view name;
  ToolKind kind;
};

constexpr ToolEntry kTools[] = {
    {"sh", ToolKind::Shell},
    {"bash", ToolKind::Shell},
    {"ash", ToolKind::Shell},
    {"dash", ToolKind::Shell},
    {"zsh", ToolKind::Shell},
    {"pwsh", ToolKind::Shell},
    {"apt", ToolKind::SystemPackageManager},
    {"apt-get", ToolKind::SystemPackageManager},
    {"dpkg", ToolKind::SystemPackageManager},
    {"apk", ToolKind::SystemPackageManager},
    {"microdnf", ToolKind::SystemPackageManager},
    {"dnf", ToolKind::SystemPackageManager},
    {"yum", ToolKind::SystemPackageManager},
    {"tdnf", ToolKind::SystemPackageManager},
    {"npm", ToolKind::LanguagePackageManager},
    {"npx", ToolKind::LanguagePackageManager},
    {"yarn", ToolKind::LanguagePackageManager},
    {"pnpm", ToolKind::LanguagePackageManager},
    {"corepack", ToolKind::LanguagePackageManager},
    {"pip", ToolKind::LanguagePackageManager},
    {"pip3", ToolKind::LanguagePackageManager},
    {"gem", ToolKind::LanguagePackageManager},
    {"bundle", ToolKind::LanguagePackageManager},
    {"composer", ToolKind::LanguagePackageManager},
    {"pecl", ToolKind::LanguagePackageManager},
    {"pear", ToolKind::LanguagePackageManager},
    {"rustup", ToolKind::LanguagePackageManager},
    {"nuget", ToolKind::LanguagePackageManager},
    {"gcc", ToolKind::Compiler},
    {"g++", ToolKind::Compiler},
    {"cc", ToolKind::Compiler},
    {"c++", ToolKind::Compiler},
    {"clang", ToolKind::Compiler},
    {"go", ToolKind::Compiler},
    {"gofmt", ToolKind::Compiler},
    {"rustc", ToolKind::Compiler},
    {"cargo", ToolKind::Compiler},
    {"javac", ToolKind::Compiler},
    {"jshell", ToolKind::Compiler},
    {"jlink", ToolKind::Compiler},
    {"jar", ToolKind::Compiler},
    {"dotnet-sdk", ToolKind::Compiler},
    {"msbuild", ToolKind::Compiler},
    {"node-gyp", ToolKind::BuildTool},
    {"make", ToolKind::BuildTool},
    {"cmake", ToolKind::BuildTool},
    {"autoconf", ToolKind::BuildTool},
    {"automake", ToolKind::BuildTool},
    {"pkg-config", ToolKind::BuildTool},
    {"mvn", ToolKind::BuildTool},
    {"gradle", ToolKind::BuildTool},
    {"phpize", ToolKind::BuildTool},
    {"docker-php-ext-install", ToolKind::BuildTool},
    {"node", ToolKind::Runtime},
    {"python", ToolKind::Runtime},
    {"python3", ToolKind::Runtime},
    {"java", ToolKind::Runtime},
    {"dotnet", ToolKind::Runtime},
    {"ruby", ToolKind::Runtime},
    {"irb", ToolKind::Runtime},
    {"php", ToolKind::Runtime},
    {"php-fpm", ToolKind::Runtime},
    {"perl", ToolKind::Runtime},
    {"nginx", ToolKind::Server},
    {"httpd", ToolKind::Server},
    {"apache2", ToolKind::Server},
    {"redis-server", ToolKind::Server},
    {"redis-cli", ToolKind::Utility},
    {"postgres", ToolKind::Server},
    {"psql", ToolKind::Utility},
    {"caddy", ToolKind::Server},
    {"curl", ToolKind::Network},
    {"wget", ToolKind::Network},
    {"git", ToolKind::Network},
    {"ssh", ToolKind::Network},
    {"busybox", ToolKind::Utility},
    {"openssl", ToolKind::Utility},
    {"tar", ToolKind::Utility},
    {"gosu", ToolKind::Utility},
    {"su-exec", ToolKind::Utility},
};

}  // namespace

std::string_view tool_kind_name(ToolKind k) {
  switch (k) {
    case ToolKind::Unknown: return "unknown";
    case ToolKind::Shell: return "shell";
    case ToolKind::SystemPackageManager: return "system-package-manager";
    case ToolKind::LanguagePackageManager: return "language-package-manager";
    case ToolKind::Compiler: return "compiler";
    case ToolKind::BuildTool: return "build-tool";
    case ToolKind::Runtime: return "runtime";
    case ToolKind::Server: return "server";
    case ToolKind::Network: return "network";
    case ToolKind::Utility: return "utility";
  }
  return "unknown";
}

ToolKind tool_kind(std::string_view tool) {
  for (const auto& t : kTools)
    if (t.name == tool) return t.kind;
  return ToolKind::Unknown;
}

bool is_build_tool(std::string_view tool) {
  auto k = tool_kind(tool);
  return k == ToolKind::Compiler || k == ToolKind::BuildTool;
}

// ---- enums ------------------------------------------------------------------------------------

std::string_view role_name(Role r) {
  switch (r) {
    case Role::Unknown: return "unknown";
    case Role::Empty: return "empty";
    case Role::Minimal: return "minimal";
    case Role::Os: return "os";
    case Role::Runtime: return "runtime";
    case Role::Sdk: return "sdk";
    case Role::Service: return "service";
  }
  return "unknown";
}

std::optional<Role> role_from(std::string_view name) {
  for (Role r : {Role::Unknown, Role::Empty, Role::Minimal, Role::Os, Role::Runtime, Role::Sdk,
                 Role::Service})
    if (role_name(r) == name) return r;
  return std::nullopt;
}

std::string_view origin_name(Origin o) {
  switch (o) {
    case Origin::Builtin: return "builtin";
    case Origin::User: return "user";
    case Origin::Estimate: return "estimate";
  }
  return "builtin";
}

std::string_view match_name(Match m) {
  switch (m) {
    case Match::Exact: return "exact";
    case Match::Alias: return "alias";
    case Match::Digest: return "digest";
    case Match::Scratch: return "scratch";
    case Match::SameRepository: return "same-repository";
    case Match::SiblingRepository: return "sibling-repository";
    case Match::Family: return "family";
    case Match::Variant: return "variant";
    case Match::Generic: return "generic";
  }
  return "generic";
}

// ---- images -----------------------------------------------------------------------------------

namespace {
bool starts_with_estimate(std::string_view s) { return s.substr(0, 8) == "estimate"; }
}  // namespace

bool Directory::estimated() const { return starts_with_estimate(source); }

std::optional<std::string> ImageConfig::env_value(std::string_view key) const {
  std::optional<std::string> found;
  for (const auto& kv : env) {
    size_t eq = kv.find('=');
    std::string_view k = std::string_view(kv).substr(0, eq);
    if (k == key) found = eq == std::string::npos ? std::string() : kv.substr(eq + 1);
  }
  return found;
}

bool Image::has_tool(std::string_view tool) const {
  return std::find(tools.begin(), tools.end(), tool) != tools.end();
}

std::vector<std::string> Image::build_tools() const {
  std::vector<std::string> out;
  for (const auto& t : tools)
    if (is_build_tool(t)) out.push_back(t);
  return out;
}

bool Image::supports_platform(std::string_view platform) const {
  std::string want = normalize_platform(platform);
  if (want.empty()) return false;
  if (platforms.empty()) return true;
  auto split = [](const std::string& p) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
      size_t slash = p.find('/', start);
      parts.push_back(p.substr(start, slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    parts.resize(3);
    return parts;
  };
  auto w = split(want);
  for (const auto& have_text : platforms) {
    std::string have_norm = normalize_platform(have_text);
    if (have_norm == want) return true;
    auto h = split(have_norm);
    if (h[0] != w[0] || h[1] != w[1]) continue;
    if (w[1] == "amd64" && h[2].empty()) return true;  // amd64/v2..v4 run amd64 (v1) images
    if (w[1] == "arm" && !h[2].empty() && !w[2].empty() && h[2] <= w[2]) return true;  // v6 on v7
  }
  return false;
}

const Directory* Image::directory(std::string_view path) const {
  for (const auto& d : directories)
    if (d.path == path) return &d;
  return nullptr;
}

const Account* Image::account(std::string_view name_or_uid) const {
  for (const auto& a : users)
    if (a.name == name_or_uid || std::to_string(a.uid) == name_or_uid) return &a;
  return nullptr;
}

bool Image::figure_estimated(std::string_view figure) const {
  auto it = sources.find(std::string(figure));
  return it == sources.end() || starts_with_estimate(it->second);
}

std::string synthetic_digest(std::string_view canonical_reference, std::string_view version) {
  std::string input = "dfplay-catalog-v1\n";
  input += canonical_reference;
  input += '\n';
  input += version;
  return "sha256:" + sha256_hex(input);
}

// ---- catalog ----------------------------------------------------------------------------------

Diagnostics Catalog::add_json(std::string_view text) { return load(text, Mode::User); }

namespace {
std::string key_of(const ImageReference& ref) { return ref.name() + ":" + ref.effective_tag(); }
constexpr std::string_view kScratchKey = "scratch";
}  // namespace

// Priority of a key: user images beat built-ins, primary references beat aliases, later
// images beat earlier ones.
void Catalog::offer_key(const std::string& key, size_t index, bool primary) {
  int rank = (images_[index].origin == Origin::User ? 2 : 0) + (primary ? 1 : 0);
  auto it = key_rank_.find(key);
  if (it != key_rank_.end() && rank < it->second) return;
  key_rank_[key] = rank;
  by_key_[key] = index;
}

void Catalog::index_image(size_t i) {
  const Image& img = images_[i];
  if (img.reference == kScratchKey) {
    offer_key(std::string(kScratchKey), i, true);
    primary_[std::string(kScratchKey)] = i;
    return;
  }
  std::string primary = key_of(img.ref);
  offer_key(primary, i, true);
  primary_[primary] = i;
  by_repo_[img.ref.name()].push_back({i, img.ref.effective_tag()});
  for (const auto& alias : img.aliases) {
    auto ref = parse_reference(alias);
    if (!ref) continue;
    offer_key(key_of(*ref), i, false);
    if (!ref->effective_tag().empty()) by_repo_[ref->name()].push_back({i, ref->effective_tag()});
  }
  if (!img.digest.empty()) by_digest_[img.digest] = i;
}

void Catalog::reindex() {
  by_key_.clear();
  by_digest_.clear();
  by_repo_.clear();
  primary_.clear();
  key_rank_.clear();
  for (size_t i = 0; i < images_.size(); ++i) index_image(i);
}

const Image* Catalog::find(const ImageReference& ref) const {
  if (!ref.digest.empty()) {
    auto it = by_digest_.find(ref.digest);
    if (it != by_digest_.end()) return &images_[it->second];
  }
  if (ref.effective_tag().empty()) return nullptr;
  auto it = by_key_.find(key_of(ref));
  if (it == by_key_.end()) return nullptr;
  const Image& img = images_[it->second];
  return img.reference == kScratchKey ? nullptr : &img;
}

const Image* Catalog::find(std::string_view reference) const {
  if (is_scratch_literal(reference)) {
    auto it = by_key_.find(std::string(kScratchKey));
    return it == by_key_.end() ? nullptr : &images_[it->second];
  }
  auto ref = parse_reference(reference);
  return ref ? find(*ref) : nullptr;
}

std::vector<Catalog::Candidate> Catalog::in_repository(std::string_view name) const {
  std::vector<Candidate> out;
  auto it = by_repo_.find(std::string(name));
  if (it == by_repo_.end()) return out;
  for (const auto& [index, tag] : it->second) out.push_back({&images_[index], tag});
  return out;
}

std::vector<std::string> Catalog::repositories() const {
  std::vector<std::string> out;
  for (const auto& [name, list] : by_repo_) out.push_back(name);
  return out;
}

namespace {
void add_deprecation(Resolution& r) {
  if (!r.image.deprecated.empty())
    r.warnings.push_back(r.image.reference + " is deprecated: " + r.image.deprecated);
}
}  // namespace

Resolution Catalog::lookup(std::string_view reference) const {
  if (is_scratch_literal(reference)) {
    Resolution r;
    r.ok = true;
    r.input = std::string(reference);
    r.match = Match::Scratch;
    r.ref.path = "scratch";
    auto it = by_key_.find(std::string(kScratchKey));
    r.image = it == by_key_.end() ? detail::empty_image() : images_[it->second];
    r.reason = "scratch is the empty image: no files, no shell, no config, 0 bytes";
    return r;
  }
  std::string error;
  auto ref = parse_reference(reference, &error);
  if (!ref) {
    Resolution r;
    r.input = detail::valid_utf8(reference);
    r.error = error;
    r.reason = "not a valid image reference: " + error;
    return r;
  }
  Resolution r = lookup(*ref);
  r.input = std::string(reference);
  return r;
}

Resolution Catalog::lookup(const ImageReference& ref) const {
  Resolution r;
  r.ok = true;
  r.ref = ref;
  r.input = ref.familiar();
  if (!ref.digest.empty()) {
    auto it = by_digest_.find(ref.digest);
    if (it != by_digest_.end()) {
      r.image = images_[it->second];
      r.match = Match::Digest;
      r.reason = "the digest is the catalog digest of " + r.image.reference;
      if (r.image.ref.name() != ref.name())
        r.warnings.push_back("the digest belongs to " + r.image.reference + ", not to " +
                             ref.familiar_name());
      add_deprecation(r);
      return r;
    }
    r.warnings.push_back("digest " + ref.digest +
                         " is not a catalog digest; the image is looked up by its name" +
                         (ref.tag.empty() ? std::string() : " and tag"));
  }
  std::string tag = ref.effective_tag();  // "" for a digest-only reference: nothing exact to try
  if (!tag.empty()) {
    auto it = by_key_.find(ref.name() + ":" + tag);
    if (it != by_key_.end() && images_[it->second].reference != kScratchKey) {
      r.image = images_[it->second];
      bool primary = key_of(r.image.ref) == ref.name() + ":" + tag;
      r.match = primary ? Match::Exact : Match::Alias;
      r.reason = primary ? r.image.reference + " is in the catalog"
                         : ref.familiar_name() + ":" + tag + " is an alias of " + r.image.reference;
      add_deprecation(r);
      return r;
    }
  }
  detail::estimate(*this, r);
  r.estimated = true;
  r.image.origin = Origin::Estimate;
  add_deprecation(r);
  return r;
}

}  // namespace dfplay::catalog
