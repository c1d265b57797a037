namespace HingeSensor.Simulation.Body
{
    /// <summary>
    /// The body's generalised coordinates. Root: the midpoint between the ankles (metres, world
    /// frame, z up) and the heading (rad). Joints: flexion about the parent's left axis (+ bends the
    /// top forward), lateral about its forward axis (+ bends the top to the right), twist about its
    /// long axis; radians. Knee flexion tilts the thigh back relative to the shank.
    /// </summary>
    public enum Dof
    {
        RootX, RootY, RootZ, Heading,
        AnkleFlex, AnkleLat,
        KneeFlex,
        HipFlex, HipLat, HipTwist,
        L5Flex, L5Lat, L5Twist,
        T12Flex, T12Lat, T12Twist,
        T7Flex, T7Lat, T7Twist,
        C7Flex, C7Lat, C7Twist,
        C0Flex, C0Lat, C0Twist,
    }

    public static class Dofs
    {
        public const int Count = (int)Dof.C0Twist + 1;
    }
}
