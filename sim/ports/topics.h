// The mesh's topic names: one per producer domain, keyed by the entity's id.
#pragma once

namespace meshsim {

inline constexpr const char* kUsersTopic = "users";
inline constexpr const char* kSongsTopic = "songs";
inline constexpr const char* kPodcastsTopic = "podcasts";
inline constexpr const char* kInteractionsTopic = "interactions";

}  // namespace meshsim
