import { setHandler } from '@temporalio/workflow';
import {
  brandStatusSignal,
  campaignStatusSignal,
  numberRegistrationSignal,
  progressQuery,
  resendOtpSignal,
  submitCorrectionUpdate,
  trustHubStatusSignal,
} from '../../shared';
import type { AnyRegistration as Registration } from './context';
import {
  receiveBrandEvent,
  receiveCampaignEvent,
  receiveNumberRegistrationEvent,
  receiveTrustHubEvent,
} from './events';
import { validateCorrection } from './remediation';

/** Events from Twilio (through the webhook server) and from operators. Each only changes state. */
export function installHandlers(reg: Registration): void {
  setHandler(progressQuery, () => reg.progress);
  setHandler(trustHubStatusSignal, (event) => receiveTrustHubEvent(reg, event));
  setHandler(brandStatusSignal, (event) => receiveBrandEvent(reg, event));
  setHandler(campaignStatusSignal, (event) => receiveCampaignEvent(reg, event));
  setHandler(numberRegistrationSignal, (event) => receiveNumberRegistrationEvent(reg, event));
  setHandler(resendOtpSignal, () => {
    reg.state.otpResendRequested = true;
  });
  setHandler(
    submitCorrectionUpdate,
    (correction) => {
      reg.state.pendingCorrection = correction;
      return { accepted: true as const, phase: reg.progress.phase };
    },
    {
      validator: (correction) => {
        if (reg.progress.phase !== 'needs-correction') {
          throw new Error(`No correction is awaited: the registration is in phase "${reg.progress.phase}"`);
        }
        validateCorrection(reg.request, correction);
      },
    },
  );
}
