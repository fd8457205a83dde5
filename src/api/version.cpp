#include "gaussmap/gaussmap.h"

namespace gaussmap {

std::string_view version() {
  return GAUSSMAP_VERSION;
}

}  // namespace gaussmap
