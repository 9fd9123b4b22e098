// Decimal numbers as printf's "%.Nf" writes them, without printf (see format_fixed).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace dfplay {

// `v` with `decimals` (0 to 3) digits after the point, as printf's "%.Nf" writes it, without
// printf: in wasm, printf formats floating point through 128-bit soft-float arithmetic (~10 us a
// number; thousands of labels per result frame). The same text as printf (doctest against
// snprintf): the value scaled and rounded to the nearest integer, except where the scaled product
// lands exactly halfway (there it may have been rounded onto the tie: snprintf decides). NaN and
// infinities as printf writes them ("nan", "inf"); scaled magnitudes are clamped at 1e18 (no
// duration, size or ratio comes near).
inline std::string format_fixed(double v, int decimals) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  if (decimals < 0) decimals = 0;
  if (decimals > 3) decimals = 3;
  static constexpr double scales[] = {1, 10, 100, 1000};
  const bool negative = std::signbit(v);
  // The product is rounded; printf rounds the exact value. They can only round differently when
  // the product lands exactly halfway between two integers: that rare case is left to snprintf.
  const double a = std::fabs(v), product = a * scales[decimals];
  if (product - std::floor(product) == 0.5) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
  }
  double scaled = std::nearbyint(product);
  if (scaled >= 1e18) scaled = 1e18;  // beyond any duration or ratio the app shows
  const auto n = static_cast<uint64_t>(scaled);
  const auto scale = static_cast<uint64_t>(scales[decimals]);
  std::string s = negative ? "-" : "";  // printf writes "-0.0" too
  s += std::to_string(n / scale);
  if (decimals > 0) {
    std::string frac = std::to_string(n % scale);
    s += '.';
    s.append(static_cast<size_t>(decimals) - frac.size(), '0');
    s += frac;
  }
  return s;
}

}  // namespace dfplay
