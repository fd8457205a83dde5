#pragma once
// Double-clicks counted from each press as GLFW reports it, not from once-a-frame button state:
// with frames of 100 ms or more (a software rasterizer under load) both presses of a quick
// double-click can fall between two frames, and Dear ImGui 1.86's io.MouseDoubleClicked then
// never fires. The thresholds are ImGui's defaults.
#include "app/view_transform.h"

namespace gaussmap::app {

inline constexpr double kDoubleClickSeconds = 0.30;  // io.MouseDoubleClickTime
inline constexpr double kDoubleClickPixels = 6.0;    // io.MouseDoubleClickMaxDist

class ClickCounter {
 public:
  // 2 when this press follows a single press within kDoubleClickSeconds and kDoubleClickPixels,
  // else 1 (a third quick press starts again at 1, as in ImGui). `queued`: how long the press
  // may have waited in the event queue before `time` (the frame's length when it arrived during
  // a busy frame, 0 when the loop was waiting for it): two presses count as one double-click
  // only when they were surely close enough.
  int press(double time, Vec2 position, double queued = 0);

 private:
  bool armed_ = false;  // the last press was a single one
  double last_time_ = 0;
  double last_queued_ = 0;
  Vec2 last_position_{};
};

}  // namespace gaussmap::app
