// KinemaMotion's public API speaks in KinemaVideo's values (Image, VideoError), so importing the
// motion layer brings the video layer with it.
@_exported import KinemaVideo
