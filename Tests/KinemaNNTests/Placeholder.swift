import Testing
import KinemaNN
