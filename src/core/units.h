// Byte sizes as the playground writes them, the one implementation: decimal (SI) units, rounded
// half up in integer arithmetic (no floating point: the same text natively and in wasm).
//   format_bytes(512) "512 B", format_bytes(21'149'000) "21.1 MB", format_bytes(1'500'000'000) "1.50 GB"
//   format_bytes(1'500'000'000, 0, ByteUnit::MB) "1500 MB"
#pragma once
#include <cstdint>
#include <string>

namespace dfplay {

enum class ByteUnit : uint8_t { kB, MB, GB, TB };

// `decimals` < 0: one below a gigabyte, two from a gigabyte on. `largest`: the largest unit used.
inline std::string format_bytes(uint64_t bytes, int decimals = -1, ByteUnit largest = ByteUnit::GB) {
  struct Unit {
    uint64_t size;
    const char* suffix;
  };
  static constexpr Unit units[] = {{1'000, " kB"}, {1'000'000, " MB"}, {1'000'000'000, " GB"}, {1'000'000'000'000, " TB"}};
  for (int u = static_cast<int>(largest); u >= 0; --u) {
    const uint64_t unit = units[u].size;
    if (bytes < unit) continue;
    const int d = decimals >= 0 ? (decimals > 2 ? 2 : decimals) : (u >= 2 ? 2 : 1);
    const uint64_t scale = d == 0 ? 1 : d == 1 ? 10 : 100;
    // bytes / unit, scaled and rounded half up, without overflowing for any uint64_t.
    const uint64_t v = (bytes / unit) * scale + ((bytes % unit) * scale + unit / 2) / unit;
    std::string s = std::to_string(v / scale);
    if (d > 0) {
      std::string frac = std::to_string(v % scale);
      s += '.';
      s.append(static_cast<size_t>(d) - frac.size(), '0');
      s += frac;
    }
    return s + units[u].suffix;
  }
  return std::to_string(bytes) + " B";
}

}  // namespace dfplay
