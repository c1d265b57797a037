using System;
using HingeSensor.Nano.Core.Imu;
using HingeSensor.Simulation.Geometry;
using HingeSensor.VirtualDevice.Models;
using Xunit;

namespace HingeSensor.Firmware.Tests
{
    public class DriverTests
    {
        private static (Mpu6050RegisterModel Chip, Mpu6050Driver Driver, ImuFrameBuffer Frames) Rig(int seed = 1)
        {
            var chip = new Mpu6050RegisterModel(seed, clockErrorPpmSd: 0, imperfect: false);
            return (chip, new Mpu6050Driver(chip, new ImuSettings()), new ImuFrameBuffer(256));
        }

        // Runs chip and driver together: the chip every ms, the driver every 10 ms.
        private static void Run(Mpu6050RegisterModel chip, Mpu6050Driver driver, ImuFrameBuffer frames, long fromMs, long toMs, Vec3 f, Vec3 w, int serviceEveryMs = 10)
        {
            for (long ms = fromMs; ms < toMs; ms++)
            {
                chip.Tick(ms * 1e-3, f, w);
                if (ms % serviceEveryMs == 0) driver.Service(ms * 1000, frames);
            }
        }

        [Fact]
        public void Start_up_resets_wakes_and_configures_the_chip_as_the_register_map_says()
        {
            var (chip, driver, frames) = Rig();
            driver.Start(0);
            Assert.Equal(DriverState.Resetting, driver.State);
            Run(chip, driver, frames, 0, 200, new Vec3(0, 0, 9.81), Vec3.Zero);
            Assert.Equal(DriverState.Running, driver.State);
            Assert.Equal(Mpu6050Register.PwrClockPllX, chip.Register(Mpu6050Register.PwrMgmt1));
            Assert.Equal(9, chip.Register(Mpu6050Register.SmplrtDiv));          // 1 kHz / (1 + 9) = 100 Hz
            Assert.Equal(3, chip.Register(Mpu6050Register.Config));             // DLPF 44/42 Hz
            Assert.Equal(2 << 3, chip.Register(Mpu6050Register.GyroConfig));    // ±1000 °/s
            Assert.Equal(2 << 3, chip.Register(Mpu6050Register.AccelConfig));   // ±8 g
            Assert.Equal(Mpu6050Register.FifoEnAccelGyro, chip.Register(Mpu6050Register.FifoEn));
            Assert.Equal(Mpu6050Register.UserCtrlFifoEnable, chip.Register(Mpu6050Register.UserCtrl)); // FIFO on: the stock binding never sets this
            Assert.Equal(0x68, driver.WhoAmI);
        }

        [Fact]
        public void Fifo_frames_are_drained_whole_and_scaled_to_SI()
        {
            var (chip, driver, frames) = Rig();
            driver.Start(0);
            var f = new Vec3(1.0, -2.0, 9.5);
            var w = new Vec3(0.5, -1.0, 2.0);
            Run(chip, driver, frames, 0, 2200, f, w);
            Assert.InRange(frames.Count, 195, 205); // 2 s after start-up at 100 Hz
            var s = new ImuSettings();
            for (int i = 0; i < frames.Count; i++)
            {
                Assert.Equal(i, frames.IndexAt(i));
                Assert.Equal(f.X, frames.At(i, 0) * s.AccelScale, 2);
                Assert.Equal(f.Z, frames.At(i, 2) * s.AccelScale, 2);
                Assert.Equal(w.Y, frames.At(i, 4) * s.GyroScale, 2);
                Assert.Equal(w.Z, frames.At(i, 5) * s.GyroScale, 2);
            }
            Assert.Equal(0, driver.Overflows);
            Assert.InRange(driver.TemperatureC, 25f, 35f);
        }

        [Fact]
        public void An_overflowing_fifo_is_detected_reset_and_sampling_resumes()
        {
            var (chip, driver, frames) = Rig();
            driver.Start(0);
            Run(chip, driver, frames, 0, 500, new Vec3(0, 0, 9.81), Vec3.Zero);
            Assert.True(frames.Count > 0);
            // The loop stalls for 1.5 s (a long flash erase, a GC): 150 frames > the 85 the FIFO holds.
            for (long ms = 500; ms < 2000; ms++) chip.Tick(ms * 1e-3, new Vec3(0, 0, 9.81), Vec3.Zero);
            Assert.True(chip.OverflowedFrames > 0);
            int r = driver.Service(2000 * 1000, frames);
            Assert.Equal(Mpu6050Driver.Overflow, r);
            Assert.Equal(1, driver.Overflows);
            Assert.Equal(0, driver.NextIndex);
            Run(chip, driver, frames, 2001, 3000, new Vec3(0, 0, 9.81), Vec3.Zero);
            // The sequence restarted at 0, so the ring holds only the new frames (the old ones
            // could not be dated against them).
            Assert.Equal(0, frames.FirstIndex);
            Assert.InRange(frames.Count, 90, 101);
            Assert.Equal(0, chip.FifoCount % Mpu6050Register.FrameBytes);
        }

        [Fact]
        public void A_chip_that_is_not_an_MPU6050_is_refused()
        {
            var (chip, driver, frames) = Rig();
            chip.WhoAmI = 0x71; // an MPU9250 or a clone at the same address
            driver.Start(0);
            Run(chip, driver, frames, 0, 300, new Vec3(0, 0, 9.81), Vec3.Zero);
            Assert.Equal(DriverState.Failed, driver.State);
            Assert.Equal(0x71, driver.WhoAmI);
            Assert.Equal(0, frames.Count);
        }

        [Fact]
        public void A_nack_during_start_up_fails_the_start()
        {
            var (chip, driver, frames) = Rig();
            chip.Unplugged = true;
            driver.Start(0);
            Assert.Equal(DriverState.Failed, driver.State);
            chip.Unplugged = false;
            driver.Start(0);
            chip.NackNext(1);
            Run(chip, driver, frames, 0, 200, new Vec3(0, 0, 9.81), Vec3.Zero);
            Assert.Equal(DriverState.Failed, driver.State);
            Assert.True(driver.BusErrors >= 1);
        }
    }
}
