@_exported import KinemaTensor
