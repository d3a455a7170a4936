@_exported import KinemaVideo
