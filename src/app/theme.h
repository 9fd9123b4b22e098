// Colours and sizes of the app.
#pragma once
#include "imgui.h"
#include "syntax/diagnostic.h"

namespace dfplay::app {
namespace theme {
inline constexpr ImVec4 kOk{0.45f, 0.80f, 0.50f, 1.0f};
inline constexpr ImVec4 kError{0.97f, 0.38f, 0.38f, 1.0f};
inline constexpr ImVec4 kWarning{0.96f, 0.76f, 0.30f, 1.0f};
inline constexpr ImVec4 kNote{0.50f, 0.72f, 0.98f, 1.0f};
// Cache statuses (the Build panel, the editor's gutter, the stage graph).
inline constexpr ImVec4 kCached{0.40f, 0.78f, 0.47f, 1.0f};
inline constexpr ImVec4 kRun{0.98f, 0.62f, 0.25f, 1.0f};
inline constexpr ImVec4 kSkipped{0.50f, 0.54f, 0.60f, 1.0f};
inline constexpr ImVec4 kAccent{0.38f, 0.62f, 0.98f, 1.0f};    // target, links, selection
inline constexpr ImVec4 kCritical{0.96f, 0.45f, 0.62f, 1.0f};  // the critical path
inline constexpr ImVec4 kDim{0.52f, 0.56f, 0.62f, 1.0f};
inline constexpr float kFontSize = 15.0f;  // CSS pixels
}  // namespace theme

ImU32 severity_color(Severity s);

// Resets the style to the app's theme with every size scaled by `scale` (the device pixel ratio:
// the app draws in device pixels).
void apply_style(float scale);

}  // namespace dfplay::app
