// Base64 (RFC 4648 section 4, the standard alphabet with '=' padding), as AWS encodes binary
// fields in JSON: the key and value of each record in the `aws:kafka` event Lambda hands a
// function, for one.
#pragma once

#include <string>
#include <string_view>

#include "sim/core/status.h"

namespace meshsim {

// The padded encoding of `bytes`: 4 characters per 3 bytes, rounded up.
std::string Base64Encode(std::string_view bytes);

// The bytes `text` encodes. Strict, as RFC 4648 section 3.3 asks of a decoder by default: the
// length must be a multiple of 4, padding only at the end, no characters outside the alphabet
// (whitespace included) and no non-zero bits after the last byte. kValidation otherwise.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace meshsim
