// The translation unit the shared precompiled header is built with (MESHSIM_PCH in CMakeLists.txt).
