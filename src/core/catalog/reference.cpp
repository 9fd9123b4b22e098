#include "catalog/reference.h"

#include <array>

namespace dfplay::catalog {
namespace {

constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDomain = "index.docker.io";
constexpr std::string_view kOfficialPrefix = "library/";
constexpr size_t kMaxPathLength = 255;

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
bool is_word(char c) { return is_alnum(c) || c == '_'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*   separator := [._] | __ | -+
bool valid_path_component(std::string_view s) {
  size_t i = 0, n = s.size();
  auto run = [&] {
    size_t start = i;
    while (i < n && is_lower_alnum(s[i])) ++i;
    return i > start;
  };
  if (!run()) return false;
  while (i < n) {
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      ++i;
      if (i < n && s[i] == '_') ++i;
    } else if (s[i] == '-') {
      while (i < n && s[i] == '-') ++i;
    } else {
      return false;
    }
    if (!run()) return false;
  }
  return true;
}

// remote-name := path-component ('/' path-component)*
bool valid_remote_name(std::string_view s) {
  while (true) {
    size_t slash = s.find('/');
    if (!valid_path_component(s.substr(0, slash))) return false;
    if (slash == std::string_view::npos) return true;
    s.remove_prefix(slash + 1);
  }
}

// domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool valid_domain_component(std::string_view s) {
  if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '-') return false;
  return true;
}

// domain := (domain-name | '[' ipv6 ']') (':' port)?
bool valid_domain(std::string_view s) {
  std::string_view host = s, port;
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : s.substr(1, close - 1))
      if (!is_hex(c) && c != ':') return false;
    host = {};
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
      if (port.empty()) return false;
    }
  } else {
    size_t colon = s.find(':');
    if (colon != std::string_view::npos) {
      host = s.substr(0, colon);
      port = s.substr(colon + 1);
      if (port.empty()) return false;
    }
    while (true) {
      size_t dot = host.find('.');
      if (!valid_domain_component(host.substr(0, dot))) return false;
      if (dot == std::string_view::npos) break;
      host.remove_prefix(dot + 1);
    }
  }
  for (char c : port)
    if (!is_digit(c)) return false;
  return true;
}

// tag := [\w][\w.-]{0,127}
bool valid_tag(std::string_view s) {
  if (s.empty() || s.size() > 128 || !is_word(s.front())) return false;
  for (char c : s)
    if (!is_word(c) && c != '.' && c != '-') return false;
  return true;
}

// digest := algorithm ':' [0-9a-fA-F]{32,}
// algorithm := [A-Za-z][A-Za-z0-9]* ([-_+.][A-Za-z][A-Za-z0-9]*)*
bool digest_matches_pattern(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view alg = s.substr(0, colon), hex = s.substr(colon + 1);
  if (hex.size() < 32) return false;
  for (char c : hex)
    if (!is_hex(c)) return false;
  size_t i = 0;
  while (true) {
    if (i >= alg.size() || !is_alpha(alg[i])) return false;
    ++i;
    while (i < alg.size() && is_alnum(alg[i])) ++i;
    if (i == alg.size()) return true;
    char sep = alg[i];
    if (sep != '-' && sep != '_' && sep != '+' && sep != '.') return false;
    ++i;
  }
}

struct Parts {
  std::string_view domain, path, tag, digest;
};

// The anchored ReferenceRegexp: name (':' tag)? ('@' digest)?
bool match_reference(std::string_view s, Parts& out) {
  out = {};
  std::string_view name_tag = s;
  if (size_t at = s.find('@'); at != std::string_view::npos) {
    name_tag = s.substr(0, at);
    out.digest = s.substr(at + 1);
    if (!digest_matches_pattern(out.digest)) return false;  // also rejects a second '@'
  }
  std::string_view name = name_tag;
  size_t colon = name_tag.rfind(':'), slash = name_tag.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    name = name_tag.substr(0, colon);
    out.tag = name_tag.substr(colon + 1);
    if (!valid_tag(out.tag)) return false;
  }
  if (name.empty()) return false;
  // The optional domain group is greedy: prefer "domain/remote" when both readings work.
  if (size_t first = name.find('/'); first != std::string_view::npos) {
    std::string_view domain = name.substr(0, first), rest = name.substr(first + 1);
    if (valid_domain(domain) && valid_remote_name(rest)) {
      out.domain = domain;
      out.path = rest;
      return true;
    }
  }
  if (!valid_remote_name(name)) return false;
  out.path = name;
  return true;
}

// go-digest's Digest.Validate for the algorithms BuildKit registers.
bool validate_digest(std::string_view d, std::string* error) {
  auto fail = [&](const char* msg) {
    if (error) *error = msg;
    return false;
  };
  size_t colon = d.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == d.size())
    return fail("invalid checksum digest format");
  std::string_view alg = d.substr(0, colon), hex = d.substr(colon + 1);
  size_t want = 0;
  if (alg == "sha256") want = 64;
  else if (alg == "sha384") want = 96;
  else if (alg == "sha512") want = 128;
  if (want == 0) {
    // go-digest's own pattern only accepts lower-case algorithm names.
    for (char c : alg)
      if (!is_lower_alnum(c) && c != '.' && c != '+' && c != '_' && c != '-')
        return fail("invalid checksum digest format");
    return fail("unsupported digest algorithm");
  }
  if (hex.size() != want) return fail("invalid checksum digest length");
  for (char c : hex)
    if (!is_lower_hex(c)) return fail("invalid checksum digest format");
  return true;
}

bool is_identifier(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!is_lower_hex(c)) return false;
  return true;
}

}  // namespace

std::string ImageReference::effective_tag() const {
  if (!tag.empty()) return tag;
  return digest.empty() ? "latest" : "";
}

std::string ImageReference::name() const {
  if (domain.empty()) return path;
  return domain + "/" + path;
}

std::string ImageReference::familiar_name() const {
  if (domain != kDefaultDomain) return name();
  std::string_view p = path;
  if (p.substr(0, kOfficialPrefix.size()) == kOfficialPrefix) {
    std::string_view rest = p.substr(kOfficialPrefix.size());
    if (rest.find('/') == std::string_view::npos) return std::string(rest);
  }
  return path;
}

namespace {
std::string suffix(const ImageReference& r) {
  std::string s;
  if (!r.tag.empty()) s += ":" + r.tag;
  else if (r.digest.empty()) s += ":latest";
  if (!r.digest.empty()) s += "@" + r.digest;
  return s;
}
}  // namespace

std::string ImageReference::canonical() const { return name() + suffix(*this); }
std::string ImageReference::familiar() const { return familiar_name() + suffix(*this); }

std::string_view ImageReference::basename() const {
  std::string_view p = path;
  size_t slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

std::optional<ImageReference> parse_reference(std::string_view text, std::string* error) {
  auto fail = [&](std::string msg) -> std::optional<ImageReference> {
    if (error) *error = std::move(msg);
    return std::nullopt;
  };
  if (text.empty()) return fail("repository name must have at least one component");
  if (is_identifier(text))
    return fail("invalid repository name (" + std::string(text) +
                "), cannot specify 64-byte hexadecimal strings");

  // splitDockerDomain
  std::string domain, remainder;
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    domain = kDefaultDomain;
    remainder = std::string(kOfficialPrefix) + std::string(text);
  } else {
    std::string_view maybe = text.substr(0, slash), rest = text.substr(slash + 1);
    if (maybe == "localhost") {
      domain = maybe, remainder = rest;
    } else if (maybe == kLegacyDomain) {
      domain = kDefaultDomain, remainder = rest;
    } else if (maybe.find_first_of(".:") != std::string_view::npos) {
      domain = maybe, remainder = rest;
    } else if (to_lower(maybe) != maybe) {
      domain = maybe, remainder = rest;
    } else {
      domain = kDefaultDomain, remainder = text;
    }
    if (domain == kDefaultDomain && remainder.find('/') == std::string::npos)
      remainder = std::string(kOfficialPrefix) + remainder;
  }
  std::string_view remote = remainder;
  if (size_t colon = remote.find(':'); colon != std::string_view::npos)
    remote = remote.substr(0, colon);
  if (to_lower(remote) != remote)
    return fail("invalid reference format: repository name (" + std::string(remote) +
                ") must be lowercase");

  // Parse(domain + "/" + remainder)
  std::string full = domain + "/" + remainder;
  Parts parts;
  if (!match_reference(full, parts)) {
    std::string lower = to_lower(full);
    Parts ignored;
    if (lower != full && match_reference(lower, ignored))
      return fail("repository name must be lowercase");
    return fail("invalid reference format");
  }
  if (parts.path.size() > kMaxPathLength)
    return fail("repository name must not be more than 255 characters");
  if (!parts.digest.empty()) {
    std::string msg;
    if (!validate_digest(parts.digest, &msg)) return fail(msg);
  }
  ImageReference ref;
  ref.domain = std::string(parts.domain);
  ref.path = std::string(parts.path);
  ref.tag = std::string(parts.tag);
  ref.digest = std::string(parts.digest);
  return ref;
}

std::string normalize_platform(std::string_view text) {
  std::array<std::string, 3> parts;
  size_t count = 0;
  std::string lower = to_lower(text);
  std::string_view s = lower;
  while (true) {
    if (count == parts.size()) return "";
    size_t slash = s.find('/');
    parts[count++] = std::string(s.substr(0, slash));
    if (slash == std::string_view::npos) break;
    s.remove_prefix(slash + 1);
  }
  for (size_t i = 0; i < count; ++i) {
    if (parts[i].empty()) return "";
    for (char c : parts[i])
      if (!is_lower_alnum(c) && c != '_' && c != '-') return "";
  }
  std::string os = "linux", arch, variant;
  if (count == 1) {
    if (parts[0] == "linux" || parts[0] == "windows" || parts[0] == "darwin" ||
        parts[0] == "freebsd") {
      os = parts[0];
      arch = "amd64";
    } else {
      arch = parts[0];
    }
  } else {
    os = parts[0];
    arch = parts[1];
    if (count == 3) variant = parts[2];
  }
  if (os == "macos") os = "darwin";
  if (arch == "i386" || arch == "x86" || arch == "i686") {
    arch = "386";
    variant.clear();
  } else if (arch == "x86_64" || arch == "x86-64" || arch == "amd64") {
    arch = "amd64";
    if (variant == "v1") variant.clear();
  } else if (arch == "aarch64" || arch == "arm64") {
    arch = "arm64";
    if (variant == "8" || variant == "v8") variant.clear();
  } else if (arch == "armhf") {
    arch = "arm";
    variant = "v7";
  } else if (arch == "armel") {
    arch = "arm";
    variant = "v6";
  } else if (arch == "arm") {
    if (variant.empty()) variant = "v7";
    else if (variant.size() == 1 && variant[0] >= '5' && variant[0] <= '8') variant = "v" + variant;
  }
  std::string out = os + "/" + arch;
  if (!variant.empty()) out += "/" + variant;
  return out;
}

}  // namespace dfplay::catalog
