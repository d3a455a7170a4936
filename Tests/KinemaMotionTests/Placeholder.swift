import Testing
import KinemaMotion
