import { describeModel } from '../../support/model/driver.js';
import { referralModel } from '../../support/model/referral.model.js';

describeModel(referralModel);
