#include "app/clicks.h"

#include <cmath>

namespace gaussmap::app {

int ClickCounter::press(double time, Vec2 position) {
  const bool twice = armed_ && time - last_time_ <= kDoubleClickSeconds &&
                     std::hypot(position.x - last_position_.x, position.y - last_position_.y) <=
                         kDoubleClickPixels;
  armed_ = !twice;
  last_time_ = time;
  last_position_ = position;
  return twice ? 2 : 1;
}

}  // namespace gaussmap::app
