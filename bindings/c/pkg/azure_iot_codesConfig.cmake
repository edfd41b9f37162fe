# CMake package for azure_iot_codes, installed as <prefix>/lib/cmake/azure_iot_codes/. Relocatable: the prefix
# is found from this file's location.
#
#   find_package(azure_iot_codes 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE azure_iot_codes::azure_iot_codes)   # shared library
#   target_link_libraries(app PRIVATE azure_iot_codes::static)            # static library
include(CMakeFindDependencyMacro)
find_dependency(Threads)

get_filename_component(_aic_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

if(NOT TARGET azure_iot_codes::shared)
  add_library(azure_iot_codes::shared SHARED IMPORTED)
  set_target_properties(azure_iot_codes::shared PROPERTIES
    IMPORTED_LOCATION "${_aic_prefix}/lib/libazure_iot_codes.so"
    INTERFACE_INCLUDE_DIRECTORIES "${_aic_prefix}/include")

  add_library(azure_iot_codes::static STATIC IMPORTED)
  set_target_properties(azure_iot_codes::static PROPERTIES
    IMPORTED_LOCATION "${_aic_prefix}/lib/libazure_iot_codes.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_aic_prefix}/include"
    # What the Rust standard library inside the archive needs (rustc's native-static-libs).
    INTERFACE_LINK_LIBRARIES "gcc_s;util;rt;Threads::Threads;m;${CMAKE_DL_LIBS}")

  add_library(azure_iot_codes::azure_iot_codes INTERFACE IMPORTED)
  set_target_properties(azure_iot_codes::azure_iot_codes PROPERTIES
    INTERFACE_LINK_LIBRARIES azure_iot_codes::shared)
endif()

unset(_aic_prefix)
