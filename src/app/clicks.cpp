#include "app/clicks.h"

#include <algorithm>
#include <cmath>

namespace gaussmap::app {

int ClickCounter::press(double time, Vec2 position, double queued) {
  // The presses lie at most this far apart: each may be older than its time by its queueing.
  const double gap = std::abs(time - last_time_) + std::max(queued, last_queued_);
  const bool twice = armed_ && gap <= kDoubleClickSeconds &&
                     std::hypot(position.x - last_position_.x, position.y - last_position_.y) <=
                         kDoubleClickPixels;
  armed_ = !twice;
  last_time_ = time;
  last_queued_ = queued;
  last_position_ = position;
  return twice ? 2 : 1;
}

}  // namespace gaussmap::app
