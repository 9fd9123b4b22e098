// SHA-256 (FIPS 180-4), used for the catalog's synthetic digests. Small, dependency-free.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace dfplay::catalog {

std::array<uint8_t, 32> sha256(std::string_view data);
std::string sha256_hex(std::string_view data);  // 64 lower-case hex digits

}  // namespace dfplay::catalog
