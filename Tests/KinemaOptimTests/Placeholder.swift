import Testing
import KinemaOptim
