import CKinemaTorch
import Testing

@Test func freeingNullIsSafe() {
    kt_tensor_free(nil)
    kt_generator_free(nil)
    kt_string_free(nil)
}
