@_exported import KinemaNN
